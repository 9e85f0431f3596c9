package handler

import (
	"encoding/json"
	"net/http"
	"sync"
)

// sseWriter writes OpenAI-style server-sent events, flushing each one so tokens reach the client at once.
type sseWriter struct {
	w       http.ResponseWriter
	flusher http.Flusher
	started bool
	err     error // first write error: the client is gone
}

func newSSE(w http.ResponseWriter) *sseWriter {
	f, _ := w.(http.Flusher)
	return &sseWriter{w: w, flusher: f}
}

func (s *sseWriter) start() {
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

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// event writes `data: <json>\n\n` for v.
func (s *sseWriter) event(v any) {
	data, err := json.Marshal(v)
	if err != nil {
		s.err = err
		return
	}
	s.raw(data)
}

func (s *sseWriter) raw(data []byte) {
	if s.err != nil {
		return
	}
	s.start()
	bp := bufPool.Get().(*[]byte)
	b := append((*bp)[:0], "data: "...)
	b = append(b, data...)
	b = append(b, "\n\n"...)
	_, s.err = s.w.Write(b)
	*bp = b
	bufPool.Put(bp)
	if s.err == nil && s.flusher != nil {
		s.flusher.Flush()
	}
}

func (s *sseWriter) done() { s.raw([]byte("[DONE]")) }
