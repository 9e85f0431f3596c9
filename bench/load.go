package main

import (
	"context"
	"sync"
	"time"
)

// call is one request of a scenario; it returns when the whole answer has been read.
type call func(ctx context.Context) error

// runResult is what a load driver observed.
type runResult struct {
	Lat      []time.Duration // per successful request
	Lag      []time.Duration // open loop: how late each send started against its schedule
	Errors   int
	FirstErr string
	Elapsed  time.Duration
}

func (r *runResult) fail(err error) {
	if r.Errors == 0 {
		r.FirstErr = err.Error()
	}
	r.Errors++
}

// openLoop starts one request every 1/rate for dur, each in its own goroutine, whatever the earlier ones are
// doing. Latency is measured from the request's scheduled start, so a stalled sender or a slow answer cannot
// hide queueing (no coordinated omission).
func openLoop(ctx context.Context, rate int, dur time.Duration, fn call) runResult {
	interval := time.Second / time.Duration(rate)
	n := int(dur / interval)
	lat := make([]time.Duration, n)
	lag := make([]time.Duration, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := time.Now().Add(2 * time.Millisecond)
	sent := 0
	for i := range n {
		at := start.Add(time.Duration(i) * interval)
		if d := time.Until(at); d > 0 && !sleepCtx(ctx, d) {
			break
		}
		sent++
		wg.Go(func() {
			lag[i] = time.Since(at)
			errs[i] = fn(ctx)
			lat[i] = time.Since(at)
		})
	}
	wg.Wait()
	r := runResult{Elapsed: time.Since(start)}
	for i := range sent {
		if errs[i] != nil {
			r.fail(errs[i])
			continue
		}
		r.Lat = append(r.Lat, lat[i])
		r.Lag = append(r.Lag, lag[i])
	}
	return r
}

// closedLoop runs conc workers that each send the next request as soon as the previous one is answered.
func closedLoop(ctx context.Context, conc int, dur time.Duration, fn call) runResult {
	type worker struct {
		lat  []time.Duration
		errs []error
	}
	ws := make([]worker, conc)
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for w := range ws {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t := time.Now()
				if err := fn(ctx); err != nil {
					ws[w].errs = append(ws[w].errs, err)
					continue
				}
				ws[w].lat = append(ws[w].lat, time.Since(t))
			}
		})
	}
	wg.Wait()
	r := runResult{Elapsed: time.Since(start)}
	for _, w := range ws {
		r.Lat = append(r.Lat, w.lat...)
		for _, err := range w.errs {
			r.fail(err)
		}
	}
	return r
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
