package ocisim

import "time"

// Fault is a misbehaviour applied to the next authenticated request(s) to
// /actions/*. Event numbers count the `data:` lines of a stream, 1-based,
// excluding `[DONE]`.
type Fault struct {
	// Status answers with this HTTP status and the matching OCI error JSON
	// {"code","message"} (429 TooManyRequests, 500 InternalServerError,
	// 401 NotAuthenticated, ...) instead of processing the request.
	Status int
	// RetryAfter is sent as the Retry-After header of a 429 when set.
	// UNCONFIRMED that the real service sends Retry-After at all.
	RetryAfter string
	// FirstByteDelay is added to Options.Latency before the response headers.
	FirstByteDelay time.Duration
	// BreakAfter resets the connection (hijack + close with SO_LINGER 0)
	// after N events. On a non-stream request the connection is reset
	// before any response byte.
	BreakAfter int
	// HangAfterFinish keeps the stream open after the finish (and usage)
	// event, without [DONE], until the client goes away (streams only).
	// Note httptest.Server.Close waits for held handlers: call
	// CloseClientConnections first if the client may still be attached.
	HangAfterFinish bool
	// SilentAfter sends nothing more after N events and holds the
	// connection until the client goes away. On a non-stream request the
	// simulator never answers.
	SilentAfter int
	// MalformedAt replaces event N with `data: {not json`. On a non-stream
	// request the whole body is `{not json` (status 200).
	MalformedAt int
	// HugeEvent pads the text of the first event that carries answer text
	// with 'x' so that its `data: ...` line is this many bytes long
	// (excluding the newline); useful against 64 KiB scanner limits.
	HugeEvent int
	// Count is how many consecutive requests get this fault (default 1).
	Count int
}

// Inject queues f (FIFO) for the next request(s) to /actions/*. A fault is
// taken by the next request that passes signature verification, whatever
// happens to it afterwards (a request rejected with 400 uses it up too);
// unauthenticated requests and unknown paths leave the queue alone.
func (s *Simulator) Inject(f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	s.faultMu.Lock()
	s.faults = append(s.faults, f)
	s.faultMu.Unlock()
}

// Always applies f to every request to /actions/* that finds no fault queued
// by Inject, until Always(Fault{}) or Reset: a region that throttles or fails
// everything (f.Count is ignored).
func (s *Simulator) Always(f Fault) {
	s.faultMu.Lock()
	s.always = f
	s.faultMu.Unlock()
}

// nextFault takes one use of the oldest queued fault (the Always fault, or
// none, when the queue is empty).
func (s *Simulator) nextFault() Fault {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	if len(s.faults) == 0 {
		return s.always
	}
	f := s.faults[0]
	s.faults[0].Count--
	if s.faults[0].Count <= 0 {
		s.faults = s.faults[1:]
	}
	return f
}
