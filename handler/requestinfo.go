package handler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/ocigenai"
)

// requestInfo collects what a request's log line and metrics report, and what its layers pass on.
type requestInfo struct {
	id        string
	route     string    // matched route, "" for unknown paths
	rest      string    // the path after the route key (/v1/models/{id})
	api       ClientAPI // whose error envelope the request is answered in
	start     time.Time
	keyName   string
	model     string
	stream    bool
	ociID     string   // opc-request-id of the OCI call
	region    string   // region of the target that answered; until then the default region (error messages)
	attempts  int      // OCI attempts the answer took, all targets together
	ignored   []string // what the client API left out of the request on purpose
	errLogged bool     // the failure was already logged with its cause
	body      []byte   // the request body, once read (readBody)
	bodyRead  bool
	span      trace.Span // the request's span; a no-op span when not tracing

	tokens       tokens  // what OCI reported for this request
	upstreamErrs []error // failed OCI calls (not counting those the request itself cancelled)
	openStream   func(delta float64)
}

// tokens are the prompt and completion tokens OCI reported (embeddings have prompt tokens only).
type tokens struct{ prompt, completion count }

type count struct {
	n    int
	seen bool
}

func (c *count) add(n int) { c.n, c.seen = c.n+n, true }

type infoKey struct{}

func withInfo(ctx context.Context, i *requestInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, i)
}

// infoFrom is not inlined: inlined, its fallback's requestInfo would sit in every caller's stack frame, and an
// open stream holds several of those frames for its whole life.
//
//go:noinline
func infoFrom(ctx context.Context) *requestInfo {
	if i, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		return i
	}
	return &requestInfo{api: openAI, span: noSpan}
}

// used adds the usage of an OCI chat answer.
func (i *requestInfo) used(u *hub.Usage) {
	if u != nil {
		i.tokens.prompt.add(u.PromptTokens)
		i.tokens.completion.add(u.CompletionTokens)
	}
}

// answered notes which target answered, and after how many attempts (log line).
func (i *requestInfo) answered(res *ocigenai.Response) {
	i.ociID, i.region, i.attempts = res.RequestID, res.Target.Region, res.Attempts
}

// upstreamFailed records a failed OCI call.
func (i *requestInfo) upstreamFailed(err error) { i.upstreamErrs = append(i.upstreamErrs, err) }

// streaming marks an OCI stream as relayed until the returned func is called.
func (i *requestInfo) streaming() (done func()) {
	if i.openStream == nil {
		return func() {}
	}
	i.openStream(1)
	return func() { i.openStream(-1) }
}

func newRequestInfo(r *http.Request) *requestInfo {
	id := r.Header.Get("X-Request-Id")
	if !validRequestID(id) {
		id = newID("req_")
	}
	return &requestInfo{id: id, start: time.Now(), api: openAI, span: noSpan}
}

// noSpan is the span of requests that are not traced.
var noSpan = trace.SpanFromContext(context.Background())

// validRequestID accepts a caller's id only if it cannot smuggle anything into headers or logs.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

func newID(prefix string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// track is the outermost layer: it gives the request its id and info, and writes its one log line.
func (h *Handler) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := newRequestInfo(r)
		info.region = h.opt.Region
		sw := &statusWriter{ResponseWriter: w}
		sw.Header().Set("X-Request-Id", info.id)
		sw.Header().Set("Request-Id", info.id) // the name the Anthropic SDKs read (err.requestID)
		r = r.WithContext(withInfo(r.Context(), info))
		defer func() {
			level := slog.LevelInfo
			if sw.status >= 500 && !info.errLogged {
				level = slog.LevelError
			}
			if h.log.Enabled(r.Context(), level) {
				h.logRequest(sw, r, info, level)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// recoverPanics turns a panic into a 500 (if nothing was sent yet), logged with its stack.
func (h *Handler) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			info := infoFrom(r.Context())
			h.log.Error("panic serving request", "request_id", info.id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			info.errLogged = true
			if sw, ok := w.(*statusWriter); !ok || !sw.wrote {
				writeError(w, r, &hub.Error{Status: http.StatusInternalServerError, Type: hub.ServerError, Code: "internal_error",
					Message: "The gateway hit an internal error; request id " + info.id + "."})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// logRequest writes the request's one log line (built only when the level is on).
func (h *Handler) logRequest(w *statusWriter, r *http.Request, info *requestInfo, level slog.Level) {
	attrs := []slog.Attr{
		slog.String("request_id", info.id),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", w.status),
		slog.Duration("duration", time.Since(info.start)),
	}
	if info.model != "" {
		attrs = append(attrs, slog.String("model", info.model), slog.Bool("stream", info.stream))
	}
	if info.keyName != "" {
		attrs = append(attrs, slog.String("key", info.keyName))
	}
	if info.ociID != "" {
		attrs = append(attrs, slog.String("opc_request_id", info.ociID))
	}
	if info.attempts > 0 && info.region != "" { // the answering target's
		attrs = append(attrs, slog.String("region", info.region))
	}
	if info.attempts > 1 {
		attrs = append(attrs, slog.Int("attempts", info.attempts))
	}
	if len(info.ignored) > 0 {
		attrs = append(attrs, slog.Any("ignored", info.ignored))
	}
	if sc := info.span.SpanContext(); sc.IsValid() {
		attrs = append(attrs, slog.String("trace_id", sc.TraceID().String()))
	}
	h.log.LogAttrs(r.Context(), level, "request", attrs...)
}

// statusWriter remembers the status and the time of the first byte, and keeps Flush reachable for streaming.
type statusWriter struct {
	http.ResponseWriter
	status    int
	wrote     bool
	firstByte time.Time
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	if w.firstByte.IsZero() {
		w.firstByte = time.Now()
	}
	return w.ResponseWriter.Write(b)
}

// Flush flushes the underlying writer when it can (every net/http writer can; a buffering host may not).
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
