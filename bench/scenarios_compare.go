package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"
)

// CompareResult is the throughput closed loop through several gateway binaries in turn, beside the floor: how a
// change moves the gateway's CPU per request, measured in one run so that a drift of the machine falls on all.
type CompareResult struct {
	Concurrency int       `json:"concurrency"`
	Seconds     float64   `json:"seconds"`
	Floor       Side      `json:"floor"`
	Builds      []Compare `json:"builds"`
}

// Compare is one gateway binary's side.
type Compare struct {
	Binary     string  `json:"binary"`
	Gateway    Side    `json:"gateway"`
	RatioFloor float64 `json:"gateway_cpu_per_request_over_floor"`
}

// compare: -compare a,b,… gateway binaries (built from different commits, say) serve the closed loop in turn with
// the floor agent.
func (r *runner) compare(ctx context.Context) error {
	if len(r.o.compare) == 0 {
		return fmt.Errorf("-compare names no gateway binaries")
	}
	s, _, err := r.plain(ctx)
	if err != nil {
		return err
	}
	agent, err := r.startFloorAgent(r.self, s, r.o.conc)
	if err != nil {
		return err
	}
	defer r.f.stop(agent.c, 2*time.Second)
	ways := []way{{name: "floor", remote: agent.closed(r.o.conc)}}
	for _, bin := range r.o.compare {
		g, err := r.f.startGateway(ctx, bin, s)
		if err != nil {
			return fmt.Errorf("%s: %w", bin, err)
		}
		defer r.f.stop(g.proc, 2*time.Second)
		gw := newViaGateway(g.URL, r.o.conc)
		ways = append(ways, way{name: filepath.Base(bin), fn: func(ctx context.Context) error { return gw.chat(ctx, shortPrompt) }, gw: g})
	}
	tot := r.alternate(ctx, ways, s, r.o.duration, segments, func(ctx context.Context, fn call, d time.Duration) runResult {
		return closedLoop(ctx, r.o.conc, d, fn)
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	res := &CompareResult{Concurrency: r.o.conc, Seconds: r.o.duration.Seconds(), Floor: tot[0].side()}
	r.res.Compare = res
	for i, bin := range r.o.compare {
		c := Compare{Binary: bin, Gateway: tot[i+1].side()}
		c.RatioFloor = c.Gateway.GatewayCPUMs / res.Floor.ClientCPUMs
		res.Builds = append(res.Builds, c)
		progress("  %-30s %.0f req/s, %.3f ms CPU/req = %.3f x floor (%.3f ms)", filepath.Base(bin), c.Gateway.RPS, c.Gateway.GatewayCPUMs, c.RatioFloor, res.Floor.ClientCPUMs)
	}
	return nil
}
