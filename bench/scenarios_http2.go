package main

import (
	"context"
	"fmt"
	"time"
)

// HTTP2Result compares HTTP/1.1 and HTTP/2 between the gateway and OCI, both over TLS as OCI's endpoints are:
// CPU per request in a closed loop and the memory of open streams, each beside the floors over the same link.
type HTTP2Result struct {
	Concurrency int                 `json:"concurrency"`
	Seconds     float64             `json:"seconds"`
	Links       []LinkCPU           `json:"closed_loop"`
	Open        []OpenStreamsResult `json:"open_streams"`
}

// LinkCPU is the closed loop over one link.
type LinkCPU struct {
	Link       string  `json:"oci_link"`
	Floor      Side    `json:"floor"`
	Gateway    Side    `json:"gateway"`
	RatioFloor float64 `json:"gateway_cpu_per_request_over_floor"`
}

// http2: for TLS with HTTP/1.1 and TLS with HTTP/2 to the simulator, the throughput closed loop (floor agent and
// gateway alternating) and open streams (floor, relay floor, gateway). The gateway's code is the same both ways:
// its transport offers HTTP/2 by ALPN; for HTTP/1.1 its HTTP/2 client is switched off with GODEBUG.
func (r *runner) http2(ctx context.Context) error {
	res := &HTTP2Result{Concurrency: r.o.conc, Seconds: r.o.duration.Seconds()}
	r.res.HTTP2 = res
	for _, l := range []link{linkTLS1, linkTLS2} {
		lc, err := r.linkCPU(ctx, l)
		if lc != nil {
			res.Links = append(res.Links, *lc)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", l, err)
		}
	}
	n := r.o.streams[0]
	for _, l := range []link{linkTLS1, linkTLS2} {
		o, err := r.openStreamsN(ctx, n, l, []string{"chat"})
		res.Open = append(res.Open, o...)
		if err != nil {
			return fmt.Errorf("%d open streams over %s: %w", n, l, err)
		}
	}
	return nil
}

// linkCPU runs the throughput closed loop with the floor (in its agent) and through a gateway, both reaching the
// simulator over l.
func (r *runner) linkCPU(ctx context.Context, l link) (*LinkCPU, error) {
	s, err := r.f.startSimLink(ctx, r.bins.sim, 0, l)
	if err != nil {
		return nil, err
	}
	defer r.f.stop(s.proc, 2*time.Second)
	g, err := r.f.startGateway(ctx, r.bins.gateway, s)
	if err != nil {
		return nil, err
	}
	defer r.f.stop(g.proc, 2*time.Second)
	agent, err := r.startFloorAgent(r.self, s, r.o.conc)
	if err != nil {
		return nil, err
	}
	defer r.f.stop(agent.c, 2*time.Second)
	gw := newViaGateway(g.URL, r.o.conc)
	ways := []way{{name: "floor " + string(l), remote: agent.closed(r.o.conc)},
		{name: "gateway " + string(l), fn: func(ctx context.Context) error { return gw.chat(ctx, shortPrompt) }, gw: g}}
	tot := r.alternate(ctx, ways, s, r.o.duration, segments, func(ctx context.Context, fn call, d time.Duration) runResult {
		return closedLoop(ctx, r.o.conc, d, fn)
	})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	lc := &LinkCPU{Link: string(l), Floor: tot[0].side(), Gateway: tot[1].side()}
	lc.RatioFloor = lc.Gateway.GatewayCPUMs / lc.Floor.ClientCPUMs
	progress("  %s: floor %.0f req/s, %.3f ms CPU/req; gateway %.0f req/s, %.3f ms CPU/req (%.2f x floor)",
		l, lc.Floor.RPS, lc.Floor.ClientCPUMs, lc.Gateway.RPS, lc.Gateway.GatewayCPUMs, lc.RatioFloor)
	if tot[0].Errors+tot[1].Errors > 0 {
		return lc, fmt.Errorf("errors floor %d (%s), gateway %d (%s)", tot[0].Errors, tot[0].FirstErr, tot[1].Errors, tot[1].FirstErr)
	}
	return lc, nil
}
