package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// streamSeq numbers streams so each gets unique words.
var streamSeq atomic.Int64

// stream: paced streaming answers, three ways of measuring the per-chunk delay (see BENCHMARKS.md):
//
//   - sequential rounds alternate direct, gateway, direct, gateway…: time to first byte and first token, and
//     the relative method on stream k of direct round i vs stream k of gateway round i;
//   - paired rounds start a direct, a gateway and a second direct stream at the same instant in every slot:
//     the relative method again, with the two direct streams as its noise floor;
//   - both ways reach the simulator through a tap that stamps each token as it leaves the simulator, so
//     client arrival − tap stamp is the exact delay of every chunk of the sequential rounds, both ways.
func (r *runner) stream(ctx context.Context) error {
	rig, err := r.startTapped(ctx)
	if err != nil {
		return err
	}
	defer rig.stop()
	tp, g := rig.tap, rig.gw
	d, err := newDirect(rig.sim, 3*r.o.streamConc)
	if err != nil {
		return err
	}
	fl, err := newFloor(rig.sim, r.o.streamConc)
	if err != nil {
		return err
	}
	gw := newViaGateway(g.URL, r.o.streamConc)

	// One untimed round each way opens connections.
	for _, c := range []client{d, fl, gw} {
		if _, err := r.streamRounds(ctx, []client{c}); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	var direct, floor, viaGw [][]*trace
	var gwCPU time.Duration
	for i := 0; i < r.o.streamRounds; i++ {
		err := r.quietly(ctx, "stream round triple", func() (func(), error) {
			dt, err := r.streamRounds(ctx, []client{d})
			if err != nil {
				return nil, err
			}
			ft, err := r.streamRounds(ctx, []client{fl})
			if err != nil {
				return nil, err
			}
			cpu := startCPU(g.proc.pid())
			gt, err := r.streamRounds(ctx, []client{gw})
			used := cpu.used()
			return func() {
				direct, floor, viaGw, gwCPU = append(direct, dt[0]), append(floor, ft[0]), append(viaGw, gt[0]), gwCPU+used
			}, err
		})
		if err != nil {
			return fmt.Errorf("round %d: %w", i, err)
		}
	}
	var pd, pg, pd2 [][]*trace
	for i := 0; i < r.o.streamRounds; i++ {
		err := r.quietly(ctx, "paired stream round", func() (func(), error) {
			ts, err := r.streamRounds(ctx, []client{d, gw, d})
			return func() { pd, pg, pd2 = append(pd, ts[0]), append(pg, ts[1]), append(pd2, ts[2]) }, err
		})
		if err != nil {
			return fmt.Errorf("paired round %d: %w", i, err)
		}
	}

	res := &StreamResult{Tokens: r.o.streamTokens, TokenDelayMs: ms(r.o.tokenDelay), Concurrency: r.o.streamConc, Rounds: r.o.streamRounds}
	r.res.Stream = res
	if res.RTTBusy, res.RTTIdle, err = r.loopbackRTT(); err != nil {
		return fmt.Errorf("loopback RTT: %w", err)
	}
	res.DirectTTFB, res.DirectTTFT, res.DirectGap = traceStats(direct)
	res.FloorTTFB, res.FloorTTFT, res.FloorGap = traceStats(floor)
	res.GatewayTTFB, res.GatewayTTFT, res.GatewayGap = traceStats(viaGw)
	res.AddedTTFB = diff(res.GatewayTTFB, res.DirectTTFB)
	res.AddedTTFT = diff(res.GatewayTTFT, res.DirectTTFT)
	res.AddedTTFBFloor = diff(res.GatewayTTFB, res.FloorTTFB)
	res.AddedTTFTFloor = diff(res.GatewayTTFT, res.FloorTTFT)
	res.PerChunkSeq = relative(viaGw, direct, 0)
	res.PerChunkSeqNull = relative(direct, direct, 1)
	res.PerChunkPaired = relative(pg, pd, 0)
	res.PerChunkPairedNull = relative(pd2, pd, 0)
	res.TapDirect = tapDelays(tp, direct) // sequential rounds only: the same load every way
	res.TapFloor = tapDelays(tp, floor)
	res.TapGateway = tapDelays(tp, viaGw)
	res.PerChunk = diff(res.TapGateway, res.TapDirect)
	res.SentFloor, res.AnswerFloor = firstByteLegs(tp, floor)
	res.SentGateway, res.AnswerGateway = firstByteLegs(tp, viaGw)
	res.AddedSentFloor, res.AddedAnswerFloor = diff(res.SentGateway, res.SentFloor), diff(res.AnswerGateway, res.AnswerFloor)
	res.PerChunkFloor = diff(res.TapGateway, res.TapFloor)
	chunks := r.o.streamRounds * r.o.streamConc * (r.o.streamTokens + 2)
	res.GwCPUPerTok = float64(gwCPU.Microseconds()) / float64(chunks) // only the gateway rounds cost it anything
	progress("  added: first byte p50 %.3f ms, first token p50 %.3f ms; loopback RTT p50 %.3f ms back to back, %.3f ms after idling",
		res.AddedTTFB.P50, res.AddedTTFT.P50, res.RTTBusy.P50, res.RTTIdle.P50)
	progress("  per-chunk, relative, sequential: p50 %.3f p99 %.3f ms (noise floor p50 %.3f p99 %.3f)", res.PerChunkSeq.P50, res.PerChunkSeq.P99, res.PerChunkSeqNull.P50, res.PerChunkSeqNull.P99)
	progress("  per-chunk, relative, paired:     p50 %.3f p99 %.3f ms (noise floor p50 %.3f p99 %.3f)", res.PerChunkPaired.P50, res.PerChunkPaired.P99, res.PerChunkPairedNull.P50, res.PerChunkPairedNull.P99)
	progress("  per-chunk, tap: direct p50 %.3f p99 %.3f, floor p50 %.3f p99 %.3f, gateway p50 %.3f p99 %.3f -> added to floor p50 %.3f p99 %.3f ms",
		res.TapDirect.P50, res.TapDirect.P99, res.TapFloor.P50, res.TapFloor.P99, res.TapGateway.P50, res.TapGateway.P99, res.PerChunkFloor.P50, res.PerChunkFloor.P99)
	progress("  added to floor: first byte p50 %.3f ms, first token p50 %.3f ms", res.AddedTTFBFloor.P50, res.AddedTTFTFloor.P50)
	progress("  first byte, split at the tap: request leg floor p50 %.3f, gateway p50 %.3f (added %.3f); first byte after the request floor p50 %.3f, gateway p50 %.3f (added %.3f) ms",
		res.SentFloor.P50, res.SentGateway.P50, res.AddedSentFloor.P50, res.AnswerFloor.P50, res.AnswerGateway.P50, res.AddedAnswerFloor.P50)
	return nil
}

// tapped is the streaming scenarios' rig: a paced simulator, the tap in front of it, and a gateway reaching it
// through the tap.
type tapped struct {
	sim  *simProc // the simulator as reached through the tap
	tap  *tap
	gw   *gwProc
	stop func()
}

func (r *runner) startTapped(ctx context.Context) (*tapped, error) {
	s, err := r.f.startSim(ctx, r.bins.sim, r.o.tokenDelay)
	if err != nil {
		return nil, err
	}
	stopSim := func() { r.f.stop(s.proc, 2*time.Second) }
	tp, err := newTap(s.URL[len("http://"):])
	if err != nil {
		stopSim()
		return nil, err
	}
	viaTap := *s
	viaTap.URL = tp.URL()
	g, err := r.f.startGateway(ctx, r.bins.gateway, &viaTap)
	if err != nil {
		tp.close()
		stopSim()
		return nil, err
	}
	return &tapped{sim: &viaTap, tap: tp, gw: g, stop: func() { r.f.stop(g.proc, 2*time.Second); tp.close(); stopSim() }}, nil
}

// streamRounds runs streamConc slots; slot k starts k·(5 ms + tokenDelay/streamConc) after the first (so no
// two signatures queue behind each other and the streams' events fall at different phases) and starts one
// stream per client at the same instant, each with its own unique words. It checks every stream delivered
// the whole answer.
func (r *runner) streamRounds(ctx context.Context, cs []client) ([][]*trace, error) {
	n := r.o.streamConc
	traces := make([][]*trace, len(cs))
	errs := make([]error, n*len(cs))
	stagger := 5*time.Millisecond + r.o.tokenDelay/time.Duration(n)
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range cs {
		traces[i] = make([]*trace, n)
		for k := range n {
			tr := &trace{keep: true}
			traces[i][k] = tr
			p := uniquePrompt(r.o.streamTokens, streamSeq.Add(1))
			wg.Go(func() {
				sleepCtx(ctx, time.Until(start.Add(time.Duration(k)*stagger)))
				tr.start = time.Now()
				err := c.stream(ctx, p, tr)
				if err == nil && len(tr.tokens) != r.o.streamTokens {
					err = fmt.Errorf("got %d text events, want %d", len(tr.tokens), r.o.streamTokens)
				}
				errs[i*n+k] = err
			})
		}
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return traces, ctx.Err()
}

// traceStats summarizes time to first event, time to first token and the gaps between tokens.
func traceStats(rounds [][]*trace) (ttfb, ttft, gaps Summary) {
	var fb, ft, gp []time.Duration
	for _, round := range rounds {
		for _, t := range round {
			fb = append(fb, t.first)
			ft = append(ft, t.tokens[0])
			for j := 1; j < len(t.tokens); j++ {
				gp = append(gp, t.tokens[j]-t.tokens[j-1])
			}
		}
	}
	return summarize(fb, 0), summarize(ft, 0), summarize(gp, 0)
}

// relative is the relative method: for stream k of round i of a and of round i+shift of b, and every token
// index j ≥ 1, (a_j − a_0) − (b_j − b_0) with arrivals relative to each call's start: the arrival difference at
// the same index minus the pair's first-token difference.
func relative(a, b [][]*trace, shift int) Summary {
	var out []time.Duration
	for i := 0; i+shift < len(a) && i < len(b); i++ {
		for k := range b[i] {
			x, y := a[i+shift][k], b[i][k]
			for j := 1; j < min(len(x.tokens), len(y.tokens)); j++ {
				out = append(out, (x.tokens[j]-x.tokens[0])-(y.tokens[j]-y.tokens[0]))
			}
		}
	}
	return summarize(out, 0)
}

// tapDelays is, for every unique token, client arrival − the moment it left the simulator through the tap.
func tapDelays(tp *tap, sets ...[][]*trace) Summary {
	var out []time.Duration
	missing := 0
	for _, rounds := range sets {
		for _, round := range rounds {
			for _, t := range round {
				for j, text := range t.texts {
					if !uniqueToken([]byte(text)) {
						continue
					}
					at, ok := tp.at(text)
					if !ok {
						missing++
						continue
					}
					out = append(out, t.start.Add(t.tokens[j]).Sub(at))
				}
			}
		}
	}
	return summarize(out, missing)
}

// firstByteLegs splits each stream's time to first byte where its request passed the tap: the request leg (from
// the call's start until the request went on to the simulator) and the rest (the simulator's answer until the
// client had its first event). A stream is found by its prompt's first word, its first unique answer token.
func firstByteLegs(tp *tap, rounds [][]*trace) (sent, answer Summary) {
	var s, a []time.Duration
	missing := 0
	for _, round := range rounds {
		for _, t := range round {
			i := slices.IndexFunc(t.texts, func(w string) bool { return uniqueToken([]byte(w)) })
			var at time.Time
			ok := i >= 0
			if ok {
				at, ok = tp.sentAt(t.texts[i])
			}
			if !ok {
				missing++
				continue
			}
			s = append(s, at.Sub(t.start))
			a = append(a, t.first-at.Sub(t.start))
		}
	}
	return summarize(s, missing), summarize(a, missing)
}

// quietly runs measure and keeps its result (calls the commit function it returns) only if other processes
// left the machine alone meanwhile; a disturbed attempt is measured again, up to maxAttempts in all.
func (r *runner) quietly(ctx context.Context, what string, measure func() (commit func(), err error)) error {
	for attempt := 1; ; attempt++ {
		if r.o.waitQuiet > 0 {
			r.f.waitQuiet(ctx, r.o.waitQuiet)
		}
		acct := r.f.startAccount()
		commit, err := measure()
		if err != nil {
			return err
		}
		n := r.f.noise(acct)
		if n.ForeignPct > maxForeignPct && attempt < maxAttempts && ctx.Err() == nil {
			progress("  %s shared the machine with other work (%.0f%%); measuring it again", what, n.ForeignPct)
			r.kept.Redone++
			continue
		}
		r.kept.add(n)
		commit()
		return ctx.Err()
	}
}
