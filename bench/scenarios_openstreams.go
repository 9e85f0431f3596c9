package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// openStreams holds many slow streams open at once, first directly and then through a fresh gateway, and
// samples the gateway's memory, threads and descriptors.
func (r *runner) openStreams(ctx context.Context) error {
	for _, n := range r.o.streams {
		res, err := r.openStreamsN(ctx, n)
		if res != nil {
			r.res.OpenStreams = append(r.res.OpenStreams, *res)
		}
		if err != nil {
			return fmt.Errorf("%d streams: %w", n, err)
		}
	}
	return nil
}

func (r *runner) openStreamsN(ctx context.Context, n int) (*OpenStreamsResult, error) {
	s, err := r.f.startSim(ctx, r.bins.sim, r.o.openDelay)
	if err != nil {
		return nil, err
	}
	defer r.f.stop(s.proc, 3*time.Second)
	res := &OpenStreamsResult{Streams: n, Tokens: r.o.openTokens, TokenDelayMs: ms(r.o.openDelay), RampPerS: r.o.openRamp}
	p := prompt(r.o.openTokens)

	d, err := newDirect(s, n)
	if err != nil {
		return nil, err
	}
	res.Direct = r.holdStreams(ctx, d, n, p)
	d.hc.CloseIdleConnections() // give the descriptors back before the gateway run
	progress("  %d streams direct: peak open %d, errors %d %s", n, res.Direct.PeakOpen, res.Direct.Errors, res.Direct.FirstErr)

	var env []string
	if r.o.goMemLimit != "" {
		env = []string{"GOMEMLIMIT=" + r.o.goMemLimit}
		res.GoMemLimit = r.o.goMemLimit
	}
	g, err := r.f.startGatewayEnv(ctx, r.bins.gateway, s, env)
	if err != nil {
		return res, err
	}
	defer r.f.stop(g.proc, 3*time.Second)
	gw := newViaGateway(g.URL, n)
	pid := g.proc.pid()
	// Idle: after a few calls have warmed the code paths, before the streams.
	for range 5 {
		if err := gw.chat(ctx, shortPrompt); err != nil {
			return res, err
		}
	}
	time.Sleep(200 * time.Millisecond)
	idle, err := procMem(pid)
	if err != nil {
		return res, err
	}
	cpu := startCPU(pid)
	mem := sampleMem(pid, 100*time.Millisecond)
	res.Gateway = r.holdStreams(ctx, gw, n, p)
	peak := mem.finish()
	res.GwCPUSeconds = cpu.used().Seconds()
	final, _ := procMem(pid)
	res.IdleRSSMB, res.IdleThreads = float64(idle.RSSKB)/1024, idle.Threads
	res.PeakRSSMB = float64(max(final.HWMKB, peak.RSSKB)) / 1024
	res.PerStreamKB = (res.PeakRSSMB - res.IdleRSSMB) * 1024 / float64(n)
	res.PeakThreads, res.PeakFDs = peak.Threads, peak.FDs
	progress("  %d streams gateway: peak open %d, errors %d %s; RSS idle %.1f MB peak %.1f MB (%.1f KB/stream), threads %d, fds %d",
		n, res.Gateway.PeakOpen, res.Gateway.Errors, res.Gateway.FirstErr, res.IdleRSSMB, res.PeakRSSMB, res.PerStreamKB, res.PeakThreads, res.PeakFDs)
	if res.Direct.Errors+res.Gateway.Errors > 0 {
		return res, fmt.Errorf("errors: direct %d (%s), gateway %d (%s)", res.Direct.Errors, res.Direct.FirstErr, res.Gateway.Errors, res.Gateway.FirstErr)
	}
	return res, ctx.Err()
}

// holdStreams starts n streams at openRamp per second and waits for all of them to finish.
func (r *runner) holdStreams(ctx context.Context, c client, n int, p string) OpenSide {
	var open, peak atomic.Int64
	var mu sync.Mutex
	var side OpenSide
	var durations []time.Duration
	interval := time.Second / time.Duration(r.o.openRamp)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		if !sleepCtx(ctx, time.Until(start.Add(time.Duration(i)*interval))) {
			break
		}
		wg.Go(func() {
			tr := &trace{start: time.Now(), opened: func() {
				v := open.Add(1)
				for {
					old := peak.Load()
					if v <= old || peak.CompareAndSwap(old, v) {
						break
					}
				}
			}}
			err := c.stream(ctx, p, tr)
			if tr.events > 0 {
				open.Add(-1)
			}
			if err == nil && len(tr.tokens) != r.o.openTokens {
				err = fmt.Errorf("got %d text events, want %d", len(tr.tokens), r.o.openTokens)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if side.Errors == 0 {
					side.FirstErr = err.Error()
				}
				side.Errors++
				return
			}
			side.Completed++
			durations = append(durations, time.Since(tr.start))
		})
	}
	side.RampS = time.Since(start).Seconds()
	wg.Wait()
	side.PeakOpen = int(peak.Load())
	side.Duration = summarize(durations, side.Errors)
	if missing := n - side.Completed - side.Errors; missing > 0 {
		side.Errors += missing // not started: cancelled
	}
	return side
}
