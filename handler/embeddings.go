package handler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/embed"
	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/openai"
)

// embedParallel bounds the concurrent OCI calls of one large embeddings request, so one client cannot open
// dozens of calls at once and use up the tenancy's rate limit.
const embedParallel = 4

// DefaultMaxEmbeddingInputs is OpenAI's own limit of inputs per embeddings request, so every client written for
// OpenAI batches within it. It bounds one request to 22 embedText calls of 96 inputs.
const DefaultMaxEmbeddingInputs = 2048

// embeddings serves POST /v1/embeddings (OpenAI's API only).
func (h *Handler) embeddings(w http.ResponseWriter, r *http.Request, _ string) {
	ctx := r.Context()
	info := infoFrom(ctx)
	body, e := h.readBody(w, r)
	if e != nil {
		h.fail(w, r, e)
		return
	}
	var req openai.EmbeddingRequest
	if e := hub.DecodeJSON(body, &req); e != nil {
		h.fail(w, r, e)
		return
	}
	info.model = req.Model
	if n := len(req.Input); n > h.opt.MaxEmbeddingInputs {
		h.fail(w, r, &hub.Error{Status: http.StatusBadRequest, Type: hub.InvalidRequest, Code: "too_many_inputs", Param: "input",
			Message: fmt.Sprintf("'input' has %d items; this gateway takes at most %d per request (max_embedding_inputs). Send them in several requests.", n, h.opt.MaxEmbeddingInputs)})
		return
	}
	m, e := h.resolveModel(req.Model, isEmbed)
	if e != nil {
		h.fail(w, r, e)
		return
	}
	traceOperation(info, ocigenai.Operation(ocigenai.PathEmbed), req.Model)
	batches, err := h.embedBatches(&req, m)
	if err != nil {
		h.fail(w, r, toAPIError(ctx, err))
		return
	}
	results, err := h.embedAll(ctx, m, batches)
	if err != nil {
		h.fail(w, r, toAPIError(ctx, err))
		return
	}
	out, err := embed.Join(results)
	var answer []byte
	if err == nil {
		answer, err = openai.AppendEmbeddings(make([]byte, 0, 64*len(out.Vectors)+jsonSize(results)), req.Model, req.EncodingFormat, out)
	}
	if err != nil {
		h.fail(w, r, toAPIError(ctx, &answerError{what: "OCI's answer: " + err.Error(), requestID: info.ociID}))
		return
	}
	info.tokens.prompt.add(out.PromptTokens)
	traceInputTokens(info.span, out.PromptTokens)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(answer)
}

// embedBatches validates the request and splits it into embedText calls.
func (h *Handler) embedBatches(req *openai.EmbeddingRequest, m model) ([]embed.TextDetails, error) {
	er, err := req.Hub()
	if err != nil {
		return nil, err
	}
	t := m.Targets[0]
	return embed.Batches(er, core.Target{ModelID: t.ID, Dedicated: t.Dedicated, CompartmentID: h.opt.CompartmentID})
}

// embedAll runs the batches with bounded concurrency; the first failure cancels the rest, and every call has
// returned before embedAll does. Each call in flight holds one of the key's slots: the request's own, plus
// those of the key that are free now (up to embedParallel in all).
func (h *Handler) embedAll(ctx context.Context, m model, batches []embed.TextDetails) ([]embed.TextResult, error) {
	info := infoFrom(ctx)
	ctx, cancel := context.WithTimeout(ctx, h.opt.RequestTimeout)
	defer cancel()
	parallel := 1
	for parallel < min(embedParallel, len(batches)) && h.limiter.acquire(info.keyName) {
		parallel++
	}
	defer func() {
		for range parallel - 1 {
			h.limiter.release(info.keyName)
		}
	}()
	results := make([]embed.TextResult, len(batches))
	errs := make([]error, len(batches))
	failed := make([]bool, len(batches)) // an OCI call that failed by itself, not by our cancelling it
	answers := make([]*ocigenai.Response, len(batches))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i := range batches {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				errs[i] = slotWaitEnded(ctx)
				return
			}
			if answers[i], failed[i], errs[i] = h.embedOne(ctx, m, &batches[i], &results[i]); errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	if answers[0] != nil {
		info.answered(answers[0])
		traceServedBy(info.span, answers[0])
	}
	for i, f := range failed {
		if f {
			info.upstreamFailed(errs[i])
		}
	}
	// Report the first real failure, not the cancellations it caused.
	var first error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
		if first == nil {
			first = err
		}
	}
	if first != nil {
		return nil, first
	}
	return results, nil
}

// slotWaitEnded is the error of a batch whose wait for a slot ended: when request_timeout passed, a timeout like
// the calls that ran out of time (504, not a bare "context deadline exceeded" 500); otherwise the cancellation
// that another batch's failure caused.
func slotWaitEnded(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &ocigenai.Error{Timeout: true, Code: "Timeout", Message: "request_timeout passed before this batch's OCI call could start", Err: ctx.Err()}
	}
	return ctx.Err()
}

// embedOne makes one embedText call through the model's route (each batch may be served by another of its
// targets: they serve the same model). It returns OCI's answer (closed; nil when none); failed reports an OCI call
// that failed while the request was still on.
func (h *Handler) embedOne(ctx context.Context, m model, batch *embed.TextDetails, out *embed.TextResult) (res *ocigenai.Response, failed bool, err error) {
	body := func(i int) ([]byte, error) {
		b := *batch
		t := m.Targets[i]
		b.ServingMode = core.Target{ModelID: t.ID, Dedicated: t.Dedicated}.ServingMode()
		return json.Marshal(&b)
	}
	res, err = m.route.Call(ctx, ocigenai.PathEmbed, body)
	if err != nil {
		return nil, ctx.Err() == nil, err
	}
	defer res.Close()
	if err := json.Unmarshal(res.Data, out); err != nil || len(out.Embeddings) != len(batch.Inputs) {
		return res, false, &answerError{requestID: res.RequestID,
			what: fmt.Sprintf("OCI returned %d embeddings for %d inputs (%v)", len(out.Embeddings), len(batch.Inputs), err)}
	}
	if out.Usage != nil {
		res.Target.AddTokens(out.Usage.PromptTokens, 0)
		traceInputTokens(res.Span, out.Usage.PromptTokens)
	}
	return res, false, nil
}

// jsonSize estimates the encoded size of the vectors, to write the answer with one allocation.
func jsonSize(results []embed.TextResult) int {
	n := 0
	for _, r := range results {
		for _, v := range r.Embeddings {
			n += len(v)
		}
	}
	return n
}
