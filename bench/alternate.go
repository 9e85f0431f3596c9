package main

import (
	"context"
	"time"
)

// way is one way of sending a scenario's requests.
type way struct {
	name   string
	fn     call
	remote remoteLoad // instead of fn: a load run by another process (the floor agent), which reports its CPU
	gw     *gwProc    // the gateway it goes through; nil for direct and floor
	sign   *signTimer // optional: times signatures before (idle) and during (under load) each segment
}

// remoteLoad runs one segment's load in another process and returns what it measured and the CPU it used.
type remoteLoad func(ctx context.Context, d time.Duration) (runResult, time.Duration)

// wayTotals adds up the segments one way ran.
type wayTotals struct {
	runResult
	clientCPU, simCPU, gwCPU time.Duration
	peakRSSKB                int64
	signIdle, signLoad       []SignCost // with way.sign: before and during each segment
}

func (t *wayTotals) add(res runResult) {
	t.Lat = append(t.Lat, res.Lat...)
	t.Lag = append(t.Lag, res.Lag...)
	if res.Errors > 0 && t.Errors == 0 {
		t.FirstErr = res.FirstErr
	}
	t.Errors += res.Errors
	t.Elapsed += res.Elapsed
}

// side turns totals into the report's per-way figures.
func (t *wayTotals) side() Side {
	n := float64(max(len(t.Lat), 1))
	s := Side{
		Requests: len(t.Lat), Errors: t.Errors, FirstErr: t.FirstErr,
		RPS:         float64(len(t.Lat)) / max(t.Elapsed.Seconds(), 1e-9),
		Latency:     summarize(t.Lat, t.Errors),
		ClientCPUMs: ms(t.clientCPU) / n,
		SimCPUMs:    ms(t.simCPU) / n,
	}
	if t.gwCPU > 0 {
		s.GatewayCPUMs = ms(t.gwCPU) / n
		s.GatewayPeakMB = float64(t.peakRSSKB) / 1024
	}
	return s
}

// alternate runs the ways in turn, segs segments of dur/segs each (A B A B …), after a warm-up of each way, so
// that slow drifts of a shared machine fall on all ways alike. load runs one segment.
func (r *runner) alternate(ctx context.Context, ways []way, s *simProc, dur time.Duration, segs int,
	load func(ctx context.Context, fn call, d time.Duration) runResult) []wayTotals {
	out := make([]wayTotals, len(ways))
	for _, w := range ways {
		if w.remote != nil {
			_, _ = w.remote(ctx, time.Second)
			continue
		}
		_ = load(ctx, w.fn, time.Second) // warm-up: connections, caches, GC pacing
	}
	seg := dur / time.Duration(segs)
	for range segs {
		for i, w := range ways {
			_ = r.quietly(ctx, w.name+" segment", func() (func(), error) {
				one := r.segment(ctx, w, s, seg, segs, load)
				return func() { out[i].merge(&one) }, nil
			})
		}
	}
	return out
}

// A segment during which other processes took more than maxForeignPct of the machine is measured again, up
// to maxAttempts times in all.
const (
	maxForeignPct = 15
	maxAttempts   = 4
)

// segment runs one way for d and measures every process's CPU.
func (r *runner) segment(ctx context.Context, w way, s *simProc, d time.Duration, segs int,
	load func(ctx context.Context, fn call, d time.Duration) runResult) wayTotals {
	var t wayTotals
	stopSign := func() *SignCost { return nil }
	if w.sign != nil {
		if sc := w.sign.idle(ctx, max(r.o.signN/segs, 20)); sc != nil {
			t.signIdle = append(t.signIdle, *sc)
		}
		stopSign = w.sign.during(signPeriod)
	}
	sim := startCPU(s.proc.pid())
	var gw cpuMeter
	var mem *memSampler
	if w.gw != nil {
		gw = startCPU(w.gw.proc.pid())
		mem = sampleMem(w.gw.proc.pid(), 200*time.Millisecond)
	}
	self := selfCPU()
	if w.remote != nil {
		res, cpu := w.remote(ctx, d)
		t.add(res)
		t.clientCPU = cpu
	} else {
		t.add(load(ctx, w.fn, d))
		t.clientCPU = selfCPU() - self
	}
	if sc := stopSign(); sc != nil {
		t.signLoad = append(t.signLoad, *sc)
	}
	t.simCPU = sim.used()
	if w.gw != nil {
		t.gwCPU = gw.used()
		t.peakRSSKB = mem.finish().RSSKB
	}
	return t
}

// merge adds a segment to the totals.
func (t *wayTotals) merge(o *wayTotals) {
	t.add(o.runResult)
	t.clientCPU += o.clientCPU
	t.simCPU += o.simCPU
	t.gwCPU += o.gwCPU
	t.peakRSSKB = max(t.peakRSSKB, o.peakRSSKB)
	t.signIdle = append(t.signIdle, o.signIdle...)
	t.signLoad = append(t.signLoad, o.signLoad...)
}

// signPeriod is how often a signature is timed during a load segment (about 2% of one core).
const signPeriod = 40 * time.Millisecond

// meanSign averages signature costs timed in several places.
func meanSign(scs []SignCost) SignCost {
	var out SignCost
	for _, sc := range scs {
		out.N += sc.N
		out.CPUPerSigMs += sc.CPUPerSigMs * float64(sc.N)
		out.WallPerSigMs += sc.WallPerSigMs * float64(sc.N)
		out.Impl = sc.Impl
	}
	if out.N > 0 {
		out.CPUPerSigMs /= float64(out.N)
		out.WallPerSigMs /= float64(out.N)
	}
	return out
}
