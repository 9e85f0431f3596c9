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
	"github.com/ociai/ociai-proxy/sse"
)

var errIdle = errors.New("OCI stream idle timeout")

// usageWait bounds how long the gateway waits for OCI's separate usage event after the finish event: OCI may
// keep the connection open without ever sending [DONE].
const usageWait = 2 * time.Second

// streamChat relays an OCI event stream as the client API's events. Errors before the first byte are plain HTTP
// errors; later ones end the stream with the API's error event.
func (h *Handler) streamChat(w http.ResponseWriter, r *http.Request, c *chatCall) {
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	info := infoFrom(ctx)

	// Each target gets stream_idle_timeout to answer before the next one is tried; the idle timer runs from the
	// answer on.
	res, err := c.model.route.Stream(ctx, ocigenai.PathChat, h.body(ctx, c), h.opt.StreamIdleTimeout)
	if err != nil {
		if context.Cause(ctx) == nil {
			info.upstreamFailed(err)
		}
		h.fail(w, r, h.streamError(ctx, err))
		return
	}
	ended := false // OCI's answer was read to its end: its connection can serve the next request
	defer func() {
		if ended {
			res.Drain()
		} else {
			res.Close() // closes the OCI connection, also when the client has gone
		}
	}()
	idle := time.AfterFunc(h.opt.StreamIdleTimeout, func() { cancel(errIdle) })
	defer idle.Stop()
	c.answered(res)
	defer traceAnswer(c)
	defer info.streaming()()

	st := c.format.Stream(c.id, c.req.Model, c.created, c.ociUsage) // c.usage decides whether the client sees the usage chunk
	if c.req.N != nil && *c.req.N > 1 {
		st.ExpectChoices(*c.req.N)
	}
	c.req, c.builds = nil, nil // an open stream keeps nothing of its request (Claude Code's prompts run to 100 KB and more)
	out := sse.New(w, c.reply)
	defer out.KeepAlive(h.opt.KeepAlive)()
	start := st.Start()
	out.Chunk(&start)
	for out.OK() {
		data, err := res.Events.Next()
		if err != nil {
			if errors.Is(err, ocigenai.ErrDone) || st.FinishSeen() {
				break // OCI may end, or hang up, right after the finish (and usage) event
			}
			h.streamBroken(ctx, out, res, err)
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
			ended = true
			break
		}
		if st.FinishSeen() {
			idle.Reset(usageWait)
		}
	}
	h.endStream(ctx, out, c, st.Close())
}

// streamBroken ends a stream whose OCI events stopped with err before the finish event.
func (h *Handler) streamBroken(ctx context.Context, out *sse.Writer, res *ocigenai.Response, err error) {
	ociID := res.RequestID
	broken := &ocigenai.Error{Code: codeStreamBroken, Message: err.Error(), RequestID: ociID, Region: res.Target.Region, Err: err}
	if context.Cause(ctx) == nil {
		infoFrom(ctx).upstreamFailed(broken)
	}
	if errors.Is(err, io.EOF) {
		// A clean end without a finish event still means a cut answer: say so rather than fake a "stop".
		h.streamFailed(ctx, out, &hub.Error{Status: http.StatusBadGateway, Type: hub.APIError, Code: "oci_stream_truncated",
			Message: "OCI Generative AI ended the stream before its finish event (opc-request-id: " + ociID + ")."})
		return
	}
	h.streamFailed(ctx, out, h.streamError(ctx, broken))
}

// relay writes chunks to the client; the usage chunk feeds the token metrics and reaches the client only if it
// asked for it.
func (h *Handler) relay(out *sse.Writer, c *chatCall, chunks []hub.ChatChunk) {
	for i := range chunks {
		ch := &chunks[i]
		for _, cc := range ch.Choices {
			if cc.FinishReason != nil {
				c.finishes = append(c.finishes, *cc.FinishReason)
			}
		}
		if len(ch.Choices) == 0 && ch.Usage != nil {
			c.used(ch.Usage)
			if !c.usage {
				continue
			}
		}
		out.Chunk(ch)
	}
}

// endStream writes the last chunks and the API's end events, or explains why the stream broke off.
func (h *Handler) endStream(ctx context.Context, out *sse.Writer, c *chatCall, last []hub.ChatChunk) {
	if out.OK() {
		h.relay(out, c, last)
		out.End()
	}
	switch encodeErr, writeErr := out.Errs(); {
	case encodeErr != nil:
		h.log.LogAttrs(ctx, slog.LevelError, "cannot encode a stream event", slog.String("request_id", infoFrom(ctx).id), slog.String("error", encodeErr.Error()))
		infoFrom(ctx).errLogged = true
		out.Fail(&hub.Error{Status: http.StatusInternalServerError, Type: hub.ServerError, Code: "internal_error",
			Message: "The gateway could not encode part of the answer: " + encodeErr.Error()})
	case writeErr != nil:
		h.clientLeft(ctx)
	}
}

// streamError explains why a stream failed, preferring our own causes (idle timer, client gone) over the
// transport error they produced.
func (h *Handler) streamError(ctx context.Context, err error) *hub.Error {
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errIdle), cause == nil && errors.Is(err, ocigenai.ErrNoFirstByte):
		return &hub.Error{Status: http.StatusGatewayTimeout, Type: hub.APIError, Code: "timeout",
			Message: "OCI Generative AI sent nothing for " + h.opt.StreamIdleTimeout.String() + " (stream_idle_timeout)."}
	case cause != nil:
		return clientGone()
	}
	return toAPIError(ctx, err)
}

func (h *Handler) streamFailed(ctx context.Context, out *sse.Writer, e *hub.Error) {
	if e.Status == 499 {
		h.clientLeft(ctx)
		return
	}
	h.logFailure(ctx, "stream failed", e)
	out.Fail(e)
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
	out := sse.New(w, c.reply)
	chunks := hub.ChunksFromCompletion(comp, c.usage)
	for i := 0; i < len(chunks) && out.OK(); i++ {
		out.Chunk(&chunks[i])
	}
	h.endStream(r.Context(), out, c, nil)
}
