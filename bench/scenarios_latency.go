package main

import (
	"context"
	"fmt"
	"time"
)

const shortPrompt = "Hello there, how are you today?"

// segments is how many alternating pieces each way's measured time is cut into.
const segments = 5

// latency: open loop at fixed arrival rates, non-streaming chat, direct and via the gateway alternating.
func (r *runner) latency(ctx context.Context) error {
	s, g, err := r.plain(ctx)
	if err != nil {
		return err
	}
	d, err := newDirect(s, 64)
	if err != nil {
		return err
	}
	gw := newViaGateway(g.URL, 64)
	ways := []way{
		{name: "direct", fn: func(ctx context.Context) error { return d.chat(ctx, shortPrompt) }},
		{name: "gateway", fn: func(ctx context.Context) error { return gw.chat(ctx, shortPrompt) }, gw: g},
	}
	for _, rate := range r.o.rates {
		tot := r.alternate(ctx, ways, s, r.o.duration, segments, func(ctx context.Context, fn call, d time.Duration) runResult {
			return openLoop(ctx, rate, d, fn)
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		lr := LatencyResult{Rate: rate, Seconds: r.o.duration.Seconds(),
			Direct: summarize(tot[0].Lat, tot[0].Errors), Gateway: summarize(tot[1].Lat, tot[1].Errors),
			DirectLag: summarize(tot[0].Lag, 0), GatewayLag: summarize(tot[1].Lag, 0),
			GwCPUPerMs: ms(tot[1].gwCPU) / float64(max(len(tot[1].Lat), 1))}
		lr.Added = diff(lr.Gateway, lr.Direct)
		r.res.Latency = append(r.res.Latency, lr)
		for i, sum := range []Summary{lr.Direct, lr.Gateway} {
			progress("  %d req/s %-7s p50 %.3f p90 %.3f p99 %.3f max %.3f ms, errors %d %s", rate, ways[i].name, sum.P50, sum.P90, sum.P99, sum.Max, sum.Errors, tot[i].FirstErr)
		}
		if tot[0].Errors+tot[1].Errors > 0 {
			return fmt.Errorf("%d req/s: errors direct %d (%s), gateway %d (%s)", rate, tot[0].Errors, tot[0].FirstErr, tot[1].Errors, tot[1].FirstErr)
		}
	}
	return nil
}

// throughput: closed loop at fixed concurrency, non-streaming chat; CPU per request of every process, and
// the signature cost timed right before every gateway segment.
func (r *runner) throughput(ctx context.Context) error {
	s, g, err := r.plain(ctx)
	if err != nil {
		return err
	}
	t, err := r.closedPair(ctx, s, g, r.o.conc, true, func(c client) call {
		return func(ctx context.Context) error { return c.chat(ctx, shortPrompt) }
	})
	r.res.Throughput = &ThroughputResult{Concurrency: r.o.conc, Seconds: r.o.duration.Seconds()}
	if t == nil {
		return err
	}
	tp := r.res.Throughput
	tp.Direct, tp.Gateway = t[0].side(), t[1].side()
	idle, load := meanSign(t[1].signIdle), meanSign(t[1].signLoad)
	tp.SignIdle, tp.SignLoad = &idle, &load
	tp.SignCPUMs, tp.SignIdleCPUMs = load.CPUPerSigMs, idle.CPUPerSigMs
	tp.Ratio = tp.Gateway.GatewayCPUMs / tp.SignCPUMs
	tp.RatioIdle = tp.Gateway.GatewayCPUMs / tp.SignIdleCPUMs
	progress("  direct  %.0f req/s, harness CPU %.3f ms/req", tp.Direct.RPS, tp.Direct.ClientCPUMs)
	progress("  gateway %.0f req/s, gateway CPU %.3f ms/req = %.2f x signature under load (%.3f ms; idle %.3f ms: %.2f x)",
		tp.Gateway.RPS, tp.Gateway.GatewayCPUMs, tp.Ratio, tp.SignCPUMs, tp.SignIdleCPUMs, tp.RatioIdle)
	return err
}

// closedPair runs the closed loop direct and via g alternately and checks for errors; with sign, a signature
// is timed before every gateway segment.
func (r *runner) closedPair(ctx context.Context, s *simProc, g *gwProc, conc int, sign bool, fn func(client) call) ([]wayTotals, error) {
	d, err := newDirect(s, conc)
	if err != nil {
		return nil, err
	}
	ways := []way{{name: "direct", fn: fn(d)}, {name: "gateway", fn: fn(newViaGateway(g.URL, conc)), gw: g}}
	if sign {
		ways[1].sign = &signTimer{bin: r.self}
	}
	tot := r.alternate(ctx, ways, s, r.o.duration, segments, func(ctx context.Context, fn call, d time.Duration) runResult {
		return closedLoop(ctx, conc, d, fn)
	})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if tot[0].Errors+tot[1].Errors > 0 {
		return tot, fmt.Errorf("errors direct %d (%s), gateway %d (%s)", tot[0].Errors, tot[0].FirstErr, tot[1].Errors, tot[1].FirstErr)
	}
	return tot, nil
}
