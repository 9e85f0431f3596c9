// Package bodydeadline makes a declared request body arrive at a minimum pace, and keeps a body that the handler
// did not read from holding the connection once the answer is out.
package bodydeadline

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync/atomic"
	"time"
)

// Defaults: a client that has started a body may pause for Idle between bytes (a phone switching networks, a
// busy proxy) and must finish within Total (10 MiB, the default max_body_bytes, at 90 KB/s).
const (
	DefaultIdle  = 30 * time.Second
	DefaultTotal = 120 * time.Second
)

// Limits bound the reading of one request body; zero values take the defaults.
type Limits struct {
	Idle  time.Duration // longest wait for the next body bytes
	Total time.Duration // the whole body, counted from the end of the request headers
}

// Handler serves next with the body deadlines of l. The connection's read deadline follows the body while it is
// read and is cleared once the body is complete, so responses (long streams included) are never cut: the server
// has no write timeout and no deadline outlives the body. An answer that starts before the body is complete
// (401, 404, 405, 413…) goes out at once with Connection: close, and the connection closes after it instead of
// waiting for the rest. Hosts without connection deadlines (OCI Functions, which buffer bodies) are served as is.
func Handler(next http.Handler, l Limits) http.Handler {
	if l.Idle <= 0 {
		l.Idle = DefaultIdle
	}
	if l.Total <= 0 {
		l.Total = DefaultTotal
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		b := &body{src: r.Body, rc: http.NewResponseController(w), limits: l, start: time.Now()}
		if err := b.extend(); err != nil {
			next.ServeHTTP(w, r) // no deadlines here (errors.Is(err, http.ErrNotSupported))
			return
		}
		r.Body = b
		next.ServeHTTP(&writer{ResponseWriter: w, body: b, http1: r.ProtoMajor == 1}, r)
		if !b.done.Load() && r.ProtoMajor == 1 {
			// The server would now read up to 256 KiB of the unread body, to keep the connection, before
			// closing it; fail that read at once instead (the answer has been flushed already).
			_ = b.rc.SetReadDeadline(time.Now())
		}
	})
}

// TimeoutError is the read error of a body that stalled or took too long. It matches os.ErrDeadlineExceeded.
type TimeoutError struct {
	Idle  bool          // no bytes for Limit; else the whole body took longer than Limit
	Limit time.Duration // the limit that was hit
}

func (e *TimeoutError) Error() string {
	if e.Idle {
		return fmt.Sprintf("the request body stalled: no bytes for %s", e.Limit)
	}
	return fmt.Sprintf("the request body was not complete after %s", e.Limit)
}

// Timeout marks it as a timeout, like the net error it replaces.
func (e *TimeoutError) Timeout() bool { return true }

func (e *TimeoutError) Unwrap() error { return os.ErrDeadlineExceeded }

// body moves the read deadline forward as bytes arrive and clears it at the end of the body.
type body struct {
	src    io.ReadCloser
	rc     *http.ResponseController
	limits Limits
	start  time.Time
	set    time.Time   // the read deadline in force
	done   atomic.Bool // the body was read to its end
}

// extend moves the read deadline to Idle from now, never past the total. It skips moves shorter than an eighth
// of Idle (at most a second): over HTTP/2 each move is a message to the connection's goroutine, and a body
// arrives in many small reads.
func (b *body) extend() error {
	d := time.Now().Add(b.limits.Idle)
	if end := b.start.Add(b.limits.Total); end.Before(d) {
		d = end
	}
	if !b.set.IsZero() && d.Sub(b.set) < min(b.limits.Idle/8, time.Second) {
		return nil
	}
	b.set = d
	return b.rc.SetReadDeadline(d)
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.src.Read(p)
	switch {
	case err == io.EOF:
		b.done.Store(true)
		// No deadline may outlive the body: the server goes on reading to notice a client that leaves, and a
		// timeout there would cancel the request in the middle of a long answer. (Go's HTTP/1 server clears
		// the deadline itself when it starts that read; its HTTP/2 server keeps a timer per stream.)
		_ = b.rc.SetReadDeadline(time.Time{})
	case errors.Is(err, os.ErrDeadlineExceeded):
		total := time.Since(b.start) >= b.limits.Total
		limit := b.limits.Idle
		if total {
			limit = b.limits.Total
		}
		err = &TimeoutError{Idle: !total, Limit: limit}
	case n > 0:
		_ = b.extend()
	}
	return n, err
}

func (b *body) Close() error { return b.src.Close() }

// writer adds Connection: close to an HTTP/1 answer that starts before the body was read to its end.
type writer struct {
	http.ResponseWriter
	body    *body
	http1   bool
	started bool
}

func (w *writer) WriteHeader(code int) {
	if !w.started && code >= 200 {
		w.started = true
		if w.http1 && !w.body.done.Load() {
			w.Header().Set("Connection", "close")
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *writer) Write(p []byte) (int, error) {
	if !w.started {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Flush keeps streaming working through the wrapper.
func (w *writer) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the server's own writer.
func (w *writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }
