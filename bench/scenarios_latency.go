package main

import (
	"context"
	"fmt"
	"time"
)

const shortPrompt = "Hello there, how are you today?"

// segments is how many alternating pieces each way's measured time is cut into.
const segments = 5

// latency: open loop at fixed arrival rates, non-streaming chat, direct (SDK), floor and via the gateway
// alternating. The floor runs in its agent process.
func (r *runner) latency(ctx context.Context) error {
	s, g, err := r.plain(ctx)
	if err != nil {
		return err
	}
	d, err := newDirect(s, 64)
	if err != nil {
		return err
	}
	agent, err := r.startFloorAgent(r.self, s, 64)
	if err != nil {
		return err
	}
	defer r.f.stop(agent.c, 2*time.Second)
	gw := newViaGateway(g.URL, 64)
	for _, rate := range r.o.rates {
		ways := []way{
			{name: "direct", fn: func(ctx context.Context) error { return d.chat(ctx, shortPrompt) }},
			{name: "floor", remote: agent.open(rate)},
			{name: "gateway", fn: func(ctx context.Context) error { return gw.chat(ctx, shortPrompt) }, gw: g},
		}
		tot := r.alternate(ctx, ways, s, r.o.duration, segments, func(ctx context.Context, fn call, d time.Duration) runResult {
			return openLoop(ctx, rate, d, fn)
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		lr := LatencyResult{Rate: rate, Seconds: r.o.duration.Seconds(),
			Direct: summarize(tot[0].Lat, tot[0].Errors), Floor: summarize(tot[1].Lat, tot[1].Errors), Gateway: summarize(tot[2].Lat, tot[2].Errors),
			DirectLag: summarize(tot[0].Lag, 0), FloorLag: summarize(tot[1].Lag, 0), GatewayLag: summarize(tot[2].Lag, 0),
			FloorCPUPerMs: ms(tot[1].clientCPU) / float64(max(len(tot[1].Lat), 1)),
			GwCPUPerMs:    ms(tot[2].gwCPU) / float64(max(len(tot[2].Lat), 1))}
		lr.Added = diff(lr.Gateway, lr.Direct)
		lr.AddedFloor = diff(lr.Gateway, lr.Floor)
		r.res.Latency = append(r.res.Latency, lr)
		for i, sum := range []Summary{lr.Direct, lr.Floor, lr.Gateway} {
			progress("  %d req/s %-7s p50 %.3f p90 %.3f p99 %.3f max %.3f ms, errors %d %s", rate, ways[i].name, sum.P50, sum.P90, sum.P99, sum.Max, sum.Errors, tot[i].FirstErr)
		}
		if errs := tot[0].Errors + tot[1].Errors + tot[2].Errors; errs > 0 {
			return fmt.Errorf("%d req/s: errors direct %d (%s), floor %d (%s), gateway %d (%s)", rate,
				tot[0].Errors, tot[0].FirstErr, tot[1].Errors, tot[1].FirstErr, tot[2].Errors, tot[2].FirstErr)
		}
	}
	return nil
}

// throughput: closed loop at fixed concurrency, non-streaming chat; CPU per request of every process (the floor's
// in its agent), and the signature cost timed before and during every gateway segment.
func (r *runner) throughput(ctx context.Context) error {
	s, g, err := r.plain(ctx)
	if err != nil {
		return err
	}
	r.res.Throughput = &ThroughputResult{Concurrency: r.o.conc, Seconds: r.o.duration.Seconds()}
	t, err := r.closedTriple(ctx, s, g, r.o.conc, func(c client) call {
		return func(ctx context.Context) error { return c.chat(ctx, shortPrompt) }
	})
	if t == nil {
		return err
	}
	tp := r.res.Throughput
	tp.Direct, tp.Floor, tp.Gateway = t[0].side(), t[1].side(), t[2].side()
	idle, load := meanSign(t[2].signIdle), meanSign(t[2].signLoad)
	tp.SignIdle, tp.SignLoad = &idle, &load
	tp.SignCPUMs, tp.SignIdleCPUMs = load.CPUPerSigMs, idle.CPUPerSigMs
	tp.Ratio = tp.Gateway.GatewayCPUMs / tp.SignCPUMs
	tp.RatioIdle = tp.Gateway.GatewayCPUMs / tp.SignIdleCPUMs
	tp.RatioFloor = tp.Gateway.GatewayCPUMs / tp.Floor.ClientCPUMs
	progress("  direct  %.0f req/s, harness CPU %.3f ms/req", tp.Direct.RPS, tp.Direct.ClientCPUMs)
	progress("  floor   %.0f req/s, floor CPU %.3f ms/req (%.0f req/s per core)", tp.Floor.RPS, tp.Floor.ClientCPUMs, 1000/tp.Floor.ClientCPUMs)
	progress("  gateway %.0f req/s, gateway CPU %.3f ms/req (%.0f req/s per core) = %.2f x floor, %.2f x signature under load (%.3f ms; idle %.3f ms)",
		tp.Gateway.RPS, tp.Gateway.GatewayCPUMs, 1000/tp.Gateway.GatewayCPUMs, tp.RatioFloor, tp.Ratio, tp.SignCPUMs, tp.SignIdleCPUMs)
	return err
}

// closedTriple runs the closed loop direct, with the floor (in its agent) and via g, alternating, and checks for
// errors; a signature is timed before and during every gateway segment.
func (r *runner) closedTriple(ctx context.Context, s *simProc, g *gwProc, conc int, fn func(client) call) ([]wayTotals, error) {
	d, err := newDirect(s, conc)
	if err != nil {
		return nil, err
	}
	agent, err := r.startFloorAgent(r.self, s, conc)
	if err != nil {
		return nil, err
	}
	defer r.f.stop(agent.c, 2*time.Second)
	ways := []way{{name: "direct", fn: fn(d)}, {name: "floor", remote: agent.closed(conc)},
		{name: "gateway", fn: fn(newViaGateway(g.URL, conc)), gw: g, sign: &signTimer{bin: r.self}}}
	tot := r.alternate(ctx, ways, s, r.o.duration, segments, func(ctx context.Context, fn call, d time.Duration) runResult {
		return closedLoop(ctx, conc, d, fn)
	})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if errs := tot[0].Errors + tot[1].Errors + tot[2].Errors; errs > 0 {
		return tot, fmt.Errorf("errors direct %d (%s), floor %d (%s), gateway %d (%s)",
			tot[0].Errors, tot[0].FirstErr, tot[1].Errors, tot[1].FirstErr, tot[2].Errors, tot[2].FirstErr)
	}
	return tot, nil
}

// closedPair runs the closed loop direct and via g alternately and checks for errors.
func (r *runner) closedPair(ctx context.Context, s *simProc, g *gwProc, conc int, fn func(client) call) ([]wayTotals, error) {
	d, err := newDirect(s, conc)
	if err != nil {
		return nil, err
	}
	ways := []way{{name: "direct", fn: fn(d)}, {name: "gateway", fn: fn(newViaGateway(g.URL, conc)), gw: g}}
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
