package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// PacedResult is many concurrent paced streams, with the floor client and through the gateway: does the gateway
// keep up, so that the last chunk of every stream arrives (nearly) when it does with the floor?
type PacedResult struct {
	Streams      int     `json:"streams"`
	Tokens       int     `json:"tokens"`
	TokenDelayMs float64 `json:"token_delay_ms"`
	RampMs       float64 `json:"ramp_ms"` // stream k starts k·ramp/streams after the first
	Rounds       int     `json:"rounds_per_way"`
	API          string  `json:"client_api"`
	Floor        Summary `json:"floor_last_chunk"`   // per stream: last chunk's arrival after the stream's start
	Gateway      Summary `json:"gateway_last_chunk"` // the same through the gateway
	Added        Diff    `json:"added_last_chunk"`   // gateway − floor, percentile by percentile
	FloorTTFT    Summary `json:"floor_first_token"`
	GatewayTTFT  Summary `json:"gateway_first_token"`
	GwCPUSeconds float64 `json:"gateway_cpu_seconds_per_round"`
}

// paced: pacedStreams concurrent streams of pacedTokens tokens at pacedDelay, started over pacedRamp, in rounds
// that alternate floor and gateway (floor, gateway, floor, gateway …) so that a drift of the shared machine falls
// on both. Every stream must deliver every token.
func (r *runner) paced(ctx context.Context) error {
	s, err := r.f.startSim(ctx, r.bins.sim, r.o.pacedDelay)
	if err != nil {
		return err
	}
	defer r.f.stop(s.proc, 3*time.Second)
	g, err := r.f.startGateway(ctx, r.bins.gateway, s)
	if err != nil {
		return err
	}
	defer r.f.stop(g.proc, 3*time.Second)
	fl, err := newFloor(s, r.o.pacedStreams)
	if err != nil {
		return err
	}
	for _, api := range r.o.apis {
		gw := newViaGateway(g.URL, r.o.pacedStreams)
		gw.api = api
		if err := r.pacedAPI(ctx, g, fl, gw); err != nil {
			return fmt.Errorf("%s: %w", api, err)
		}
	}
	return nil
}

// pacedAPI runs the paced rounds of one client API.
func (r *runner) pacedAPI(ctx context.Context, g *gwProc, fl *floor, gw *viaGateway) error {
	res := &PacedResult{Streams: r.o.pacedStreams, Tokens: r.o.pacedTokens, TokenDelayMs: ms(r.o.pacedDelay),
		RampMs: ms(r.o.pacedRamp), Rounds: r.o.pacedRounds, API: gw.api}
	r.res.Paced = append(r.res.Paced, res)
	var floorLast, gwLast, floorFirst, gwFirst []time.Duration
	var gwCPU time.Duration
	for i := 0; i < r.o.pacedRounds; i++ {
		err := r.quietly(ctx, "paced round pair", func() (func(), error) {
			fLast, fFirst, err := r.pacedRound(ctx, fl)
			if err != nil {
				return nil, fmt.Errorf("floor: %w", err)
			}
			cpu := startCPU(g.proc.pid())
			gLast, gFirst, err := r.pacedRound(ctx, gw)
			used := cpu.used()
			if err != nil {
				return nil, fmt.Errorf("gateway: %w", err)
			}
			return func() {
				floorLast, gwLast = append(floorLast, fLast...), append(gwLast, gLast...)
				floorFirst, gwFirst = append(floorFirst, fFirst...), append(gwFirst, gFirst...)
				gwCPU += used
			}, nil
		})
		if err != nil {
			return fmt.Errorf("round %d: %w", i, err)
		}
	}
	res.Floor, res.Gateway = summarize(floorLast, 0), summarize(gwLast, 0)
	res.FloorTTFT, res.GatewayTTFT = summarize(floorFirst, 0), summarize(gwFirst, 0)
	res.Added = diff(res.Gateway, res.Floor)
	res.GwCPUSeconds = gwCPU.Seconds() / float64(max(r.o.pacedRounds, 1))
	progress("  %s, %d paced streams: last chunk floor p50 %.1f p99 %.1f max %.1f ms; gateway p50 %.1f p99 %.1f max %.1f ms; added p50 %+.1f p99 %+.1f max %+.1f ms",
		res.API, res.Streams, res.Floor.P50, res.Floor.P99, res.Floor.Max, res.Gateway.P50, res.Gateway.P99, res.Gateway.Max, res.Added.P50, res.Added.P99, res.Added.Max)
	return nil
}

// pacedRound runs one round of paced streams through c and returns, per stream, when its last and its first
// token arrived after its start.
func (r *runner) pacedRound(ctx context.Context, c client) (last, first []time.Duration, err error) {
	n := r.o.pacedStreams
	traces := make([]*trace, n)
	errs := make([]error, n)
	p := prompt(r.o.pacedTokens)
	start := time.Now()
	var wg sync.WaitGroup
	for k := range n {
		tr := &trace{}
		traces[k] = tr
		wg.Go(func() {
			sleepCtx(ctx, time.Until(start.Add(time.Duration(k)*r.o.pacedRamp/time.Duration(n))))
			tr.start = time.Now()
			err := c.stream(ctx, p, tr)
			if err == nil && len(tr.tokens) != r.o.pacedTokens {
				err = fmt.Errorf("got %d text events, want %d", len(tr.tokens), r.o.pacedTokens)
			}
			errs[k] = err
		})
	}
	wg.Wait()
	for k, tr := range traces {
		if errs[k] != nil {
			return nil, nil, errs[k]
		}
		last, first = append(last, tr.tokens[len(tr.tokens)-1]), append(first, tr.tokens[0])
	}
	return last, first, ctx.Err()
}
