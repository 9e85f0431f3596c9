package handler

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/internal/ownstack"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/ocigenai"
)

// chatCall is one chat completion on its way to OCI.
type chatCall struct {
	info    *requestInfo
	req     *hub.ChatRequest
	reply   hub.Reply // encodes the answer in the client API's wire format
	model   model
	usage   bool // the client asked for a usage chunk
	stream  bool // OCI is asked to stream
	id      string
	created int64
	builds  []chatBuild // the OCI request for each of the model's targets, built when the route first needs it

	// Once OCI answered: the answer, the OCI format of the target that gave it (and whether usage was asked
	// for), and what the answer reported, for the trace.
	answer   *ocigenai.Response
	format   core.Chat
	ociUsage bool
	tokens   *hub.Usage
	finishes []string
}

// chatBuild is the OCI request for one target. ociUsage: OCI is asked for usage in the stream and the gateway
// waits for it after the finish event. Also when the client did not ask (for the token metrics), where the format
// reliably sends it.
type chatBuild struct {
	format   core.Chat
	ociUsage bool
	body     []byte
}

// chat is the chat pipeline every client API shares: decode, resolve the model, then answer whole, stream, or
// synthesize a stream from a whole answer, each target's OCI request built for its format as the route needs it.
func (h *Handler) chat(w http.ResponseWriter, r *http.Request, _ string) {
	var c *chatCall
	ownstack.Run(func() { c = h.prepareChat(w, r) }) // decoding a deep request takes a deep stack
	switch {
	case c == nil: // prepareChat answered
	case c.stream:
		h.streamChat(w, r, c)
	case c.req.Stream:
		h.synthesizedStream(w, r, c)
	default:
		h.plainChat(w, r, c)
	}
}

// prepareChat decodes the request and resolves its model; it answers the client itself and returns nil when that
// fails.
func (h *Handler) prepareChat(w http.ResponseWriter, r *http.Request) (c *chatCall) {
	ctx := r.Context()
	info := infoFrom(ctx)
	body, e := h.readBody(w, r)
	if e != nil {
		h.fail(w, r, e)
		return nil
	}
	c = &chatCall{info: info, id: newID("chatcmpl-"), created: time.Now().Unix()}
	var err error
	if c.req, c.reply, err = info.api.DecodeChat(body); err != nil {
		h.fail(w, r, toAPIError(ctx, err))
		return nil
	}
	if ig, ok := c.reply.(Ignoring); ok && len(ig.Ignored()) > 0 {
		info.ignored = ig.Ignored()
		w.Header().Set("X-Ociai-Ignored", strings.Join(info.ignored, ", "))
	}
	info.model, info.stream = c.req.Model, c.req.Stream
	c.usage = c.req.StreamOptions != nil && c.req.StreamOptions.IncludeUsage
	if c.model, e = h.resolveModel(c.req.Model, isChat); e != nil {
		h.fail(w, r, e)
		return nil
	}
	c.stream = c.req.Stream && !h.opt.ForceNonStream
	c.builds = make([]chatBuild, len(c.model.Targets))
	h.noteRequest(ctx, c)
	return c
}

// body gives the route the OCI request for target i, translating the hub request for that target's format
// the first time (targets of the same format and model share one).
func (h *Handler) body(ctx context.Context, c *chatCall) ocigenai.Body {
	return func(i int) ([]byte, error) {
		if c.builds[i].body == nil {
			var err error
			build := func() { err = h.buildChat(ctx, c, i) }
			if c.stream {
				ownstack.Run(build) // as for decoding: a deep build would stay with the stream's goroutine
			} else {
				build()
			}
			if err != nil {
				return nil, err
			}
		}
		return c.builds[i].body, nil
	}
}

// buildChat translates the hub request for target i's OCI format.
func (h *Handler) buildChat(ctx context.Context, c *chatCall, i int) error {
	t := c.model.Targets[i]
	for j, u := range c.model.Targets[:i] {
		if c.builds[j].body != nil && u.ID == t.ID && u.Dedicated == t.Dedicated && strings.EqualFold(u.Format, t.Format) {
			c.builds[i] = c.builds[j]
			return nil
		}
	}
	req := *c.req // shallow copy: the OCI stream flag may differ from what the client asked
	req.Stream = c.stream
	b := chatBuild{format: c.model.formats[i].Chat(&req)}
	b.ociUsage = c.usage || c.stream && b.format.StreamUsage()
	if c.stream && b.ociUsage {
		req.StreamOptions = &hub.StreamOptions{IncludeUsage: true}
	}
	target := core.Target{ModelID: t.ID, Dedicated: t.Dedicated, CompartmentID: h.opt.CompartmentID, DefaultMaxTokens: h.opt.DefaultMaxTokens}
	details, dropped, err := b.format.Request(&req, target)
	if err != nil {
		return err
	}
	if len(dropped) > 0 {
		h.log.LogAttrs(ctx, slog.LevelDebug, "dropped parameters OCI does not take", slog.String("request_id", infoFrom(ctx).id), slog.Any("params", dropped))
	}
	if b.body, err = json.Marshal(details); err != nil {
		return err
	}
	c.builds[i] = b
	return nil
}

// answered notes the target that answered: its format reads the answer.
func (c *chatCall) answered(res *ocigenai.Response) {
	c.answer = res
	b := c.builds[res.Index]
	c.format, c.ociUsage = b.format, b.ociUsage
	c.info.answered(res)
}

// used counts the tokens of the answer (request metrics, the target's counters, the trace).
func (c *chatCall) used(u *hub.Usage) {
	if u == nil {
		return
	}
	c.info.used(u)
	c.answer.Target.AddTokens(u.PromptTokens, u.CompletionTokens)
	c.tokens = u
}

// complete makes a non-streaming OCI call and translates the answer.
func (h *Handler) complete(ctx context.Context, c *chatCall) (*hub.ChatCompletion, error) {
	ctx, cancel := context.WithTimeout(ctx, h.opt.RequestTimeout)
	defer cancel()
	res, err := c.model.route.Call(ctx, ocigenai.PathChat, h.body(ctx, c))
	if err != nil {
		c.info.upstreamFailed(err)
		return nil, err
	}
	defer res.Close()
	c.answered(res)
	comp, err := c.format.Completion(res.Data, c.id, c.req.Model, c.created)
	if err != nil {
		return nil, &answerError{what: "cannot read the OCI answer: " + err.Error(), requestID: res.RequestID}
	}
	c.used(comp.Usage)
	for _, ch := range comp.Choices {
		c.finishes = append(c.finishes, ch.FinishReason)
	}
	traceAnswer(c)
	return comp, nil
}

func (h *Handler) plainChat(w http.ResponseWriter, r *http.Request, c *chatCall) {
	comp, err := h.complete(r.Context(), c)
	if err != nil {
		h.fail(w, r, toAPIError(r.Context(), err))
		return
	}
	writeJSON(w, http.StatusOK, c.reply.Completion(comp))
}

// fail writes e and logs its cause once (the request line then carries only the status).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, e *hub.Error) {
	if e.Status >= 500 || e.Status == 499 {
		h.logFailure(r.Context(), "request failed", e)
	}
	writeError(w, r, e)
}

// logFailure logs a failed request once, with the cause its message leaves out.
func (h *Handler) logFailure(ctx context.Context, msg string, e *hub.Error) {
	info := infoFrom(ctx)
	attrs := []slog.Attr{slog.String("request_id", info.id), slog.Int("status", e.Status), slog.String("error", e.Message)}
	if e.Cause != "" {
		attrs = append(attrs, slog.String("cause", e.Cause))
	}
	h.log.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
	info.errLogged = true
}
