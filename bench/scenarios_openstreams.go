package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// openStreams holds many slow streams open at once: with the floor client itself, through the relay floor, and
// through a fresh gateway per client API, sampling the memory, threads and descriptors of the relay floor and the
// gateways.
func (r *runner) openStreams(ctx context.Context) error {
	for _, l := range r.o.openLinks {
		for _, n := range r.o.streams {
			res, err := r.openStreamsN(ctx, n, link(l), r.o.apis)
			r.res.OpenStreams = append(r.res.OpenStreams, res...)
			if err != nil {
				return fmt.Errorf("%d streams over %s: %w", n, l, err)
			}
		}
	}
	return nil
}

// openStreamsN holds n streams over the given link to the simulator: with the floor client and through the relay
// floor, then through a gateway for each client API.
func (r *runner) openStreamsN(ctx context.Context, n int, l link, apis []string) ([]OpenStreamsResult, error) {
	s, err := r.f.startSimLink(ctx, r.bins.sim, r.o.openDelay, l)
	if err != nil {
		return nil, err
	}
	defer r.f.stop(s.proc, 3*time.Second)
	p := prompt(r.o.openTokens)
	first := OpenStreamsResult{Streams: n, Link: string(l), Tokens: r.o.openTokens, TokenDelayMs: ms(r.o.openDelay), RampPerS: r.o.openRamp}
	fl, err := newFloor(s, n)
	if err != nil {
		return nil, err
	}
	side := r.holdStreams(ctx, fl, n, p)
	first.Floor = &side
	fl.hc.CloseIdleConnections() // give the descriptors back before the next run
	progress("  %d streams, floor: peak open %d, errors %d %s", n, side.PeakOpen, side.Errors, side.FirstErr)
	if side.Errors > 0 {
		return nil, fmt.Errorf("floor errors %d (%s)", side.Errors, side.FirstErr)
	}
	relayArgs := []string{"-serve-gateway", "-relay"}
	if r.o.relayHijack {
		relayArgs = append(relayArgs, "-hijack")
	}
	if first.Relay, err = r.holdThrough(ctx, s, nil, "", n, p, relayArgs...); err != nil {
		return nil, fmt.Errorf("relay floor: %w", err)
	}
	var env []string
	if r.o.goMemLimit != "" {
		env = []string{"GOMEMLIMIT=" + r.o.goMemLimit}
	}
	var out []OpenStreamsResult
	for i, api := range apis {
		res := OpenStreamsResult{Streams: n, Link: string(l), API: api, Tokens: r.o.openTokens, TokenDelayMs: ms(r.o.openDelay), RampPerS: r.o.openRamp, GoMemLimit: r.o.goMemLimit}
		if i == 0 {
			res.Floor, res.Relay = first.Floor, first.Relay
		}
		g, err := r.holdThrough(ctx, s, env, api, n, p)
		if g != nil {
			res.Gateway = *g
			out = append(out, res)
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", api, err)
		}
	}
	return out, nil
}

// holdThrough starts a gateway (or, with args, this program in that child mode) against s, warms it, and holds n
// streams through it while sampling its memory.
func (r *runner) holdThrough(ctx context.Context, s *simProc, env []string, api string, n int, p string, args ...string) (*OpenHold, error) {
	bin, name := r.bins.gateway, "gateway"
	if len(args) > 0 {
		bin, name = r.self, "relay floor"
		args = append(args, "-host", "127.0.0.1")
	}
	g, err := r.f.startGatewayEnv(ctx, bin, s, env, args...)
	if err != nil {
		return nil, err
	}
	defer r.f.stop(g.proc, 3*time.Second)
	vg := newViaGateway(g.URL, n)
	vg.system, vg.api = systemPrompt(r.o.openSystemKB), api
	var c client = vg
	if len(args) > 0 {
		c = viaRelay{vg}
	}
	pid := g.proc.pid()
	// Idle: after a few streams have warmed the code paths, before the streams.
	warm := make([]error, 5)
	var wg sync.WaitGroup
	for i := range warm {
		wg.Go(func() { warm[i] = c.stream(ctx, shortPrompt, &trace{start: time.Now()}) })
	}
	wg.Wait()
	if err := errors.Join(warm...); err != nil {
		return nil, err
	}
	time.Sleep(200 * time.Millisecond)
	idle, err := procMem(pid)
	if err != nil {
		return nil, err
	}
	cpu := startCPU(pid)
	mem := sampleMem(pid, 100*time.Millisecond)
	h := &OpenHold{OpenSide: r.holdStreams(ctx, c, n, p)}
	peak := mem.finish()
	h.CPUSeconds = cpu.used().Seconds()
	final, _ := procMem(pid)
	h.IdleRSSMB, h.IdleThreads = float64(idle.RSSKB)/1024, idle.Threads
	h.PeakRSSMB = float64(max(final.HWMKB, peak.RSSKB)) / 1024
	h.PerStreamKB = (h.PeakRSSMB - h.IdleRSSMB) * 1024 / float64(n)
	h.PeakThreads, h.PeakFDs = peak.Threads, peak.FDs
	if api != "" {
		name += " (" + api + ")"
	}
	progress("  %d streams over %s, %s: peak open %d, errors %d %s; RSS idle %.1f MB peak %.1f MB (%.1f KB/stream), threads %d, fds %d",
		n, s.link, name, h.PeakOpen, h.Errors, h.FirstErr, h.IdleRSSMB, h.PeakRSSMB, h.PerStreamKB, h.PeakThreads, h.PeakFDs)
	if h.Errors > 0 {
		return h, fmt.Errorf("%s errors %d (%s)", name, h.Errors, h.FirstErr)
	}
	return h, ctx.Err()
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

// systemPrompt is kb kilobytes of system message (none for 0): the context an agent such as Claude Code sends
// with every turn, which the gateway must not keep while the answer streams.
func systemPrompt(kb int) string {
	if kb <= 0 {
		return ""
	}
	return strings.Repeat("context ", kb*1024/8)
}
