// Package sse writes one HTTP response as server-sent events in a client API's encoding (hub.Reply): each event
// flushed at once (the end events with the end of the body), the API's keep-alive event during silences.
package sse

import (
	"bytes"
	"net/http"
	"sync"
	"time"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/internal/bufpool"
)

// Writer writes a client API's server-sent events, flushing each one so tokens reach the client at once. A
// keep-alive timer may write from its own goroutine, hence the lock.
type Writer struct {
	w         http.ResponseWriter
	flusher   http.Flusher
	reply     hub.Reply
	mu        sync.Mutex
	started   bool
	closed    bool  // no more writes (the handler is returning)
	writeErr  error // first write error: the client is gone
	encodeErr error // an event that could not be encoded
	ping      *time.Timer
	every     time.Duration
}

// New is a Writer for w in reply's encoding; the status and headers go out with the first event.
func New(w http.ResponseWriter, reply hub.Reply) *Writer {
	f, _ := w.(http.Flusher)
	return &Writer{w: w, flusher: f, reply: reply}
}

// Errs returns the first encode error and the first write error.
func (s *Writer) Errs() (encodeErr, writeErr error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.encodeErr, s.writeErr
}

// OK reports whether the stream can go on.
func (s *Writer) OK() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writeErr == nil && s.encodeErr == nil
}

// Chunk writes the events of one chunk.
func (s *Writer) Chunk(ch *hub.ChatChunk) {
	s.send(false, true, func(b *bytes.Buffer) error { return s.reply.Chunk(b, ch) })
}

// Fail writes the event that ends a failed stream (also after an event could not be encoded).
func (s *Writer) Fail(e *hub.Error) {
	s.send(true, true, func(b *bytes.Buffer) error { return s.reply.StreamError(b, e) })
}

// End writes the events that end a stream that went well, without flushing them: the server sends them with the
// end of the body when the handler returns, in one write, so that a client that stops reading at the last event
// finds the body ended and keeps its connection. (An HTTP/1.1 client that closes a body before its end closes
// the connection, and its next request dials, or shakes hands over TLS, again.) The handler should return soon.
func (s *Writer) End() {
	s.send(false, false, func(b *bytes.Buffer) error { s.reply.End(b); return nil })
}

// send encodes events into a pooled buffer and writes them (and flushes them when flush is set), unless the client
// is gone or, for all but the final error event, an earlier event could not be encoded.
func (s *Writer) send(final, flush bool, encode func(*bytes.Buffer) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.writeErr != nil || s.closed || s.encodeErr != nil && !final {
		return
	}
	buf := bufpool.Get()
	defer bufpool.Put(buf)
	if err := encode(buf); err != nil || buf.Len() == 0 {
		if s.encodeErr == nil {
			s.encodeErr = err
		}
		return
	}
	s.start()
	_, s.writeErr = s.w.Write(buf.Bytes())
	if flush && s.writeErr == nil && s.flusher != nil {
		s.flusher.Flush()
	}
	if s.ping != nil && !final {
		s.ping.Reset(s.every) // the next keep-alive is due after this much silence
	}
}

func (s *Writer) start() {
	if s.started {
		return
	}
	s.started = true
	h := s.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no") // keep nginx-style proxies from buffering the stream
	s.w.WriteHeader(http.StatusOK)
}

// KeepAlive writes the API's keep-alive event whenever nothing was written for every; APIs without one get no
// timer. It is a timer, not a goroutine: a stream waiting for its next token holds no goroutine for it. The
// returned func stops it; no write happens after it returns.
func (s *Writer) KeepAlive(every time.Duration) (stop func()) {
	var probe bytes.Buffer
	if !s.reply.Ping(&probe) {
		return s.close
	}
	s.mu.Lock()
	s.every = every
	s.ping = time.AfterFunc(every, func() { s.send(false, true, func(b *bytes.Buffer) error { s.reply.Ping(b); return nil }) })
	s.mu.Unlock()
	return func() {
		s.close() // first: a ping already due finds the writer closed and re-arms nothing
		s.ping.Stop()
	}
}

func (s *Writer) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}
