package main

import (
	"context"
	"fmt"
)

// embed: closed loop of embeddings requests with embedInputs inputs each (one OCI call: the gateway batches
// by 96), direct then via the gateway.
func (r *runner) embed(ctx context.Context) error {
	s, g, err := r.plain(ctx)
	if err != nil {
		return err
	}
	conc := r.o.embedConc
	inputs := make([]string, r.o.embedInputs)
	for i := range inputs {
		inputs[i] = fmt.Sprintf("Benchmark sentence number %d about oracle cloud generative ai embeddings", i)
	}
	e := &EmbedResult{Inputs: len(inputs), Concurrency: conc, Seconds: r.o.duration.Seconds()}
	r.res.Embed = e
	t, err := r.closedPair(ctx, s, g, conc, func(c client) call {
		return func(ctx context.Context) error { return c.embed(ctx, inputs) }
	})
	if t != nil {
		e.Direct, e.Gateway = t[0].side(), t[1].side()
		progress("  direct  %.1f req/s, p50 %.2f ms", e.Direct.RPS, e.Direct.Latency.P50)
		progress("  gateway %.1f req/s, p50 %.2f ms, gateway CPU %.2f ms/req", e.Gateway.RPS, e.Gateway.Latency.P50, e.Gateway.GatewayCPUMs)
	}
	return err
}
