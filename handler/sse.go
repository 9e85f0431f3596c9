package handler

import (
	"bytes"
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

// bufPool holds encode buffers; big ones (an embeddings answer) are dropped so the pool stays small.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuf() *bytes.Buffer { return bufPool.Get().(*bytes.Buffer) }

func putBuf(b *bytes.Buffer) {
	if b.Cap() <= 64<<10 {
		b.Reset()
		bufPool.Put(b)
	}
}

// event writes `data: <json>\n\n` for v, encoding straight into a pooled buffer.
func (s *sseWriter) event(v any) {
	if s.err != nil {
		return
	}
	buf := getBuf()
	defer putBuf(buf)
	buf.WriteString("data: ")
	if s.err = json.NewEncoder(buf).Encode(v); s.err != nil { // Encode ends the line with \n
		return
	}
	buf.WriteByte('\n')
	s.write(buf.Bytes())
}

func (s *sseWriter) write(b []byte) {
	s.start()
	_, s.err = s.w.Write(b)
	if s.err == nil && s.flusher != nil {
		s.flusher.Flush()
	}
}

func (s *sseWriter) done() {
	if s.err == nil {
		s.write([]byte("data: [DONE]\n\n"))
	}
}
