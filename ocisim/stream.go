package ocisim

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// sse writes one server-sent-event stream: data-only events, each JSON
// object with a "pad" field, flushed one by one, Options.TokenDelay apart on
// a fixed schedule, with the exchange's fault applied. Once the client is gone or a fault has
// ended the stream every call is a no-op, so producers need no error checks.
type sse struct {
	x     *exchange
	rc    *http.ResponseController
	ctx   context.Context
	delay time.Duration
	timer *time.Timer
	next  time.Time // when the next event is due: a fixed schedule, so a late timer does not delay the rest
	n     int       // data lines written or attempted
	dead  bool      // client gone or fault ended the stream
	huge  bool      // HugeEvent already applied
	buf   []byte
}

// padding is sliced for the "pad" field.
var padding = strings.Repeat("a", 64)

// startStream sends the 200 and the event-stream Content-Type (exactly
// "text/event-stream": the OCI Go SDK only recognises a stream without
// parameters). It returns nil when the client left during the latency.
func (x *exchange) startStream() *sse {
	if !x.wait() {
		x.rec(0)
		return nil
	}
	x.s.activeStreams.Add(1)
	x.rec(http.StatusOK)
	x.w.Header().Set("Content-Type", "text/event-stream")
	x.w.WriteHeader(http.StatusOK)
	st := &sse{x: x, rc: http.NewResponseController(x.w), ctx: x.r.Context(), delay: x.s.opts.TokenDelay}
	st.flush()
	return st
}

func (st *sse) close() {
	if st.timer != nil {
		st.timer.Stop()
	}
	st.x.s.activeStreams.Add(-1)
}

func (st *sse) send(v any) { st.emit(v, "", nil) }

// sendText sends mk(text); mk lets HugeEvent rebuild the event with padded
// text.
func (st *sse) sendText(text string, mk func(string) any) { st.emit(mk(text), text, mk) }

func (st *sse) emit(v any, text string, mk func(string) any) {
	if st.dead {
		return
	}
	st.n++
	if st.n > 1 && !st.pause() {
		return
	}
	f := st.x.fault
	switch {
	case f.SilentAfter > 0 && st.n > f.SilentAfter:
		st.hold()
		return
	case f.BreakAfter > 0 && st.n > f.BreakAfter:
		st.reset()
		return
	}
	st.buf = append(st.buf[:0], "data: "...)
	if st.n == f.MalformedAt {
		st.buf = append(st.buf, "{not json"...)
	} else {
		st.buf = st.appendEvent(st.buf, v)
		if mk != nil && text != "" && f.HugeEvent > 0 && !st.huge {
			st.huge = true
			if extra := f.HugeEvent - len(st.buf); extra > 0 {
				st.buf = st.appendEvent(st.buf[:len("data: ")], mk(text+strings.Repeat("x", extra)))
			}
		}
	}
	st.buf = append(st.buf, "\n\n"...)
	st.write(st.buf)
}

// appendEvent appends v's JSON with a deterministic, varying "pad" field.
func (st *sse) appendEvent(b []byte, v any) []byte {
	j := marshal(v)
	b = append(b, j[:len(j)-1]...)
	if len(j) > 2 {
		b = append(b, ',')
	}
	b = append(b, `"pad":"`...)
	b = append(b, padding[:1+(st.n*37)%29]...)
	return append(b, `"}`...)
}

// finish ends the stream: [DONE] unless Options.OmitDone, or the fault's
// ending (reset, silence, hang).
func (st *sse) finish() {
	if st.dead {
		return
	}
	f := st.x.fault
	switch {
	case f.BreakAfter > 0: // the stream was shorter than N events
		st.reset()
		return
	case f.SilentAfter > 0, f.HangAfterFinish:
		st.hold()
		return
	}
	if st.x.s.opts.OmitDone || !st.pause() {
		return
	}
	st.write([]byte("data: [DONE]\n\n"))
}

// pause waits until TokenDelay after the previous event was due (so the events keep to a fixed schedule from
// the first: a timer that fires late does not push back all the events after it); false (and the stream dead)
// if the client left.
func (st *sse) pause() bool {
	if st.delay > 0 && st.next.IsZero() {
		st.next = time.Now()
	}
	st.next = st.next.Add(st.delay)
	wait := time.Until(st.next)
	if wait <= 0 {
		if st.ctx.Err() != nil {
			st.dead = true
			return false
		}
		return true
	}
	if st.timer == nil {
		st.timer = time.NewTimer(wait)
	} else {
		st.timer.Reset(wait)
	}
	select {
	case <-st.timer.C:
		return true
	case <-st.ctx.Done():
		st.dead = true
		return false
	}
}

func (st *sse) write(b []byte) {
	if _, err := st.x.w.Write(b); err != nil {
		st.dead = true
		return
	}
	st.flush()
}

func (st *sse) flush() {
	if err := st.rc.Flush(); err != nil {
		st.dead = true
	}
}

// hold keeps the connection open, sending nothing, until the client leaves.
func (st *sse) hold() {
	st.dead = true
	st.flush()
	<-st.ctx.Done()
}

func (st *sse) reset() {
	st.dead = true
	resetConn(st.x.w, true)
}
