package handler

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/translator"
)

// chunkStream turns OCI stream events into OpenAI chunks; one implementation per OCI API format.
type chunkStream interface {
	Start() hub.ChatChunk
	Event(data []byte) ([]hub.ChatChunk, error)
	Finished() bool
	FinishSeen() bool
	Close() []hub.ChatChunk
}

var errIdle = errors.New("OCI stream idle timeout")

// usageWait bounds how long the gateway waits for OCI's separate usage event after the finish event: OCI may
// keep the connection open without ever sending [DONE].
const usageWait = 2 * time.Second

func newChunkStream(c *chatCall, includeUsage bool) chunkStream {
	switch c.format {
	case "COHERE":
		return translator.NewCohereStream(c.id, c.req.Model, c.created, includeUsage)
	case "COHEREV2":
		return translator.NewCohereV2Stream(c.id, c.req.Model, c.created, includeUsage)
	}
	return translator.NewGenericStream(c.id, c.req.Model, c.created, includeUsage)
}

func includeUsage(req *hub.ChatRequest) bool {
	return req.StreamOptions != nil && req.StreamOptions.IncludeUsage
}

// streamChat relays an OCI event stream as OpenAI chunks. Errors before the first byte are plain HTTP errors;
// later ones become a final `data: {"error":…}` event.
func (h *Handler) streamChat(w http.ResponseWriter, r *http.Request, c *chatCall) {
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	idle := time.AfterFunc(h.opt.StreamIdleTimeout, func() { cancel(errIdle) })
	defer idle.Stop()

	res, err := h.oci.Stream(ctx, ocigenai.PathChat, c.body)
	if err != nil {
		if context.Cause(ctx) == nil {
			h.upstreamFailed(err)
		}
		h.fail(w, r, h.streamError(ctx, err))
		return
	}
	defer res.Close() // closes the OCI connection, also when the client has gone
	info := infoFrom(ctx)
	info.ociID = res.RequestID
	if h.metrics != nil {
		h.metrics.openStreams.Inc()
		defer h.metrics.openStreams.Dec()
	}

	st := newChunkStream(c, c.ociUsage) // c.usage decides whether the client sees the usage chunk
	out := newSSE(w)
	out.event(st.Start())
	for out.err == nil {
		data, err := res.Events.Next()
		if err != nil {
			if errors.Is(err, ocigenai.ErrDone) || st.FinishSeen() {
				break // OCI may end, or hang up, right after the finish (and usage) event
			}
			if context.Cause(ctx) == nil {
				h.upstreamFailed(&ocigenai.Error{Code: "StreamBroken", Message: err.Error(), RequestID: res.RequestID, Err: err})
			}
			if errors.Is(err, io.EOF) {
				// A clean end without a finish event still means a cut answer: say so rather than fake a "stop".
				h.streamFailed(ctx, out, &apiError{Status: http.StatusBadGateway, Type: "api_error", Code: "oci_stream_truncated",
					Message: "OCI Generative AI ended the stream before its finish event (opc-request-id: " + res.RequestID + ")."})
				return
			}
			h.streamFailed(ctx, out, h.streamError(ctx, err))
			return
		}
		idle.Reset(h.opt.StreamIdleTimeout)
		chunks, err := st.Event(data)
		if err != nil {
			h.streamFailed(ctx, out, eventError(err, res.RequestID))
			return
		}
		h.relay(out, c, chunks)
		if st.Finished() {
			break
		}
		if st.FinishSeen() {
			idle.Reset(usageWait)
		}
	}
	if out.err != nil {
		h.clientLeft(ctx)
		return
	}
	h.relay(out, c, st.Close())
	out.done()
}

// relay writes chunks to the client; the usage chunk feeds the token metrics and reaches the client only if it
// asked for it.
func (h *Handler) relay(out *sseWriter, c *chatCall, chunks []hub.ChatChunk) {
	for i := range chunks {
		ch := &chunks[i]
		if len(ch.Choices) == 0 && ch.Usage != nil {
			if h.metrics != nil {
				h.metrics.usage(c.model.Name, ch.Usage)
			}
			if !c.usage {
				continue
			}
		}
		out.event(ch)
	}
}

// streamError explains why a stream failed, preferring our own causes (idle timer, client gone) over the
// transport error they produced.
func (h *Handler) streamError(ctx context.Context, err error) *apiError {
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errIdle):
		return &apiError{Status: http.StatusGatewayTimeout, Type: "api_error", Code: "timeout",
			Message: "OCI Generative AI sent nothing for " + h.opt.StreamIdleTimeout.String() + " (stream_idle_timeout)."}
	case cause != nil:
		return clientGone()
	}
	return toAPIError(ctx, err)
}

func (h *Handler) streamFailed(ctx context.Context, out *sseWriter, e *apiError) {
	info := infoFrom(ctx)
	if e.Status == 499 {
		h.clientLeft(ctx)
		return
	}
	h.log.LogAttrs(ctx, slog.LevelWarn, "stream failed", slog.String("request_id", info.id), slog.String("error", e.Message))
	info.errLogged = true
	out.event(e.body())
}

func (h *Handler) clientLeft(ctx context.Context) {
	h.log.LogAttrs(ctx, slog.LevelInfo, "client closed the stream", slog.String("request_id", infoFrom(ctx).id))
}

// synthesizedStream answers a streaming request from one non-streaming OCI call (force_non_stream, and OCI
// Functions where responses are buffered anyway).
func (h *Handler) synthesizedStream(w http.ResponseWriter, r *http.Request, c *chatCall) {
	comp, err := h.complete(r.Context(), c)
	if err != nil {
		h.fail(w, r, toAPIError(r.Context(), err))
		return
	}
	out := newSSE(w)
	for _, ch := range hub.ChunksFromCompletion(comp, c.usage) {
		out.event(&ch)
	}
	out.done()
}

// eventError explains a stream event that is an OCI error report or cannot be read at all.
func eventError(err error, requestID string) *apiError {
	var ue *translator.UpstreamError
	if errors.As(err, &ue) {
		return &apiError{Status: http.StatusBadGateway, Type: "api_error", Code: "oci_error",
			Message: "OCI Generative AI failed mid-stream: " + ue.Error() + " (opc-request-id: " + requestID + ")"}
	}
	return &apiError{Status: http.StatusBadGateway, Type: "api_error", Code: "oci_bad_event",
		Message: "OCI sent an event the gateway cannot read: " + err.Error() + " (opc-request-id: " + requestID + ")"}
}
