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
)

// requestInfo collects what the single log line of a request reports.
type requestInfo struct {
	id        string
	route     string // matched route, "" for unknown paths
	start     time.Time
	keyName   string
	model     string
	stream    bool
	ociID     string // opc-request-id of the OCI call
	errLogged bool   // the failure was already logged with its cause
}

type infoKey struct{}

func withInfo(ctx context.Context, i *requestInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, i)
}

func infoFrom(ctx context.Context) *requestInfo {
	if i, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		return i
	}
	return &requestInfo{}
}

func newRequestInfo(r *http.Request) *requestInfo {
	id := r.Header.Get("X-Request-Id")
	if !validRequestID(id) {
		id = newID("req_")
	}
	return &requestInfo{id: id, start: time.Now()}
}

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

// finish recovers a panic into a 500 (if nothing was sent yet) and writes the request's one log line.
func (h *Handler) finish(w *statusWriter, r *http.Request, info *requestInfo) {
	if p := recover(); p != nil {
		if p == http.ErrAbortHandler {
			panic(p)
		}
		h.log.Error("panic serving request", "request_id", info.id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		info.errLogged = true
		if !w.wrote {
			writeError(w, r, &apiError{Status: http.StatusInternalServerError, Type: "server_error", Code: "internal_error",
				Message: "The gateway hit an internal error; request id " + info.id + "."})
		}
	}
	level := slog.LevelInfo
	if w.status >= 500 && !info.errLogged {
		level = slog.LevelError
	}
	if h.log.Enabled(r.Context(), level) {
		h.logRequest(w, r, info, level)
	}
	if h.metrics != nil {
		route, model := info.route, ""
		if route == "" {
			route = "unknown" // arbitrary paths must not become label values
		}
		if _, ok := h.models[info.model]; ok {
			model = info.model
		}
		var ttfb time.Duration
		if !w.firstByte.IsZero() {
			ttfb = w.firstByte.Sub(info.start)
		}
		h.metrics.observe(route, model, w.status, time.Since(info.start), ttfb)
	}
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
	h.log.LogAttrs(r.Context(), level, "request", attrs...)
}

// statusWriter remembers the status for the log line and keeps Flush reachable for streaming.
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

// Flush flushes when the underlying writer can; it reports whether it could.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
