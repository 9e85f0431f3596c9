package handler_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/ocisim"
)

// cutWriter passes the first n writes of a stream on, then swallows the rest, so the connection ends cleanly
// without OCI's finish event.
type cutWriter struct {
	http.ResponseWriter
	n int
}

func (w *cutWriter) Write(b []byte) (int, error) {
	if w.n <= 0 {
		return len(b), nil
	}
	w.n--
	return w.ResponseWriter.Write(b)
}

func (w *cutWriter) Flush() { w.ResponseWriter.(http.Flusher).Flush() }

func TestStreamEndingWithoutFinishIsAnError(t *testing.T) {
	e := newEnvWrapped(t, ocisim.Options{}, func(sim http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sim.ServeHTTP(&cutWriter{ResponseWriter: w, n: 3}, r) })
	})
	res := e.do(t, "POST", "/v1/chat/completions", `{"model":"llama","stream":true,"messages":[{"role":"user","content":"a long enough answer"}]}`)
	ev := sseEvents(t, res)
	if last := ev[len(ev)-1]; !strings.Contains(last, "oci_stream_truncated") || strings.Contains(strings.Join(ev, ""), `"finish_reason":"stop"`) {
		t.Fatalf("a cut stream must end with an error, not a finish: %q", ev)
	}
}
