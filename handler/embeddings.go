package handler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/translator"
)

// embedParallel bounds the concurrent OCI calls of one large embeddings request, so one client cannot open
// dozens of calls at once and use up the tenancy's rate limit.
const embedParallel = 4

func (h *Handler) embeddings(w http.ResponseWriter, r *http.Request, _ string) {
	ctx := r.Context()
	var req translator.EmbeddingRequest
	if e := h.readJSON(w, r, &req); e != nil {
		h.fail(w, r, e)
		return
	}
	infoFrom(ctx).model = req.Model
	m, e := h.resolveModel(req.Model, isEmbed)
	if e != nil {
		h.fail(w, r, e)
		return
	}
	batches, err := translator.EmbedBatches(&req, translator.Target{ModelID: m.ID, Dedicated: m.Dedicated, CompartmentID: h.opt.CompartmentID})
	if err != nil {
		h.fail(w, r, toAPIError(ctx, err))
		return
	}
	results, err := h.embedAll(ctx, batches)
	if err != nil {
		h.fail(w, r, toAPIError(ctx, err))
		return
	}
	out, err := translator.EmbeddingResponse(req.Model, req.EncodingFormat, results)
	if err != nil {
		h.fail(w, r, toAPIError(ctx, &ocigenai.Error{Status: http.StatusBadGateway, Code: "BadResponse", Message: "OCI's answer: " + err.Error(), RequestID: infoFrom(ctx).ociID}))
		return
	}
	if h.metrics != nil {
		h.metrics.tokens.WithLabelValues(m.Name, "prompt").Add(float64(out.Usage.PromptTokens))
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(out.AppendJSON(make([]byte, 0, 64*len(out.Vectors)+jsonSize(results))))
}

// embedAll runs the batches with bounded concurrency; the first failure cancels the rest, and every call has
// returned before embedAll does.
func (h *Handler) embedAll(ctx context.Context, batches []translator.EmbedTextDetails) ([]translator.EmbedTextResult, error) {
	ctx, cancel := context.WithTimeout(ctx, h.opt.RequestTimeout)
	defer cancel()
	results := make([]translator.EmbedTextResult, len(batches))
	errs := make([]error, len(batches))
	ids := make([]string, len(batches))
	sem := make(chan struct{}, embedParallel)
	var wg sync.WaitGroup
	for i := range batches {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			if ids[i], errs[i] = h.embedOne(ctx, &batches[i], &results[i]); errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	infoFrom(ctx).ociID = ids[0]
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

func (h *Handler) embedOne(ctx context.Context, batch *translator.EmbedTextDetails, out *translator.EmbedTextResult) (string, error) {
	body, err := json.Marshal(batch)
	if err != nil {
		return "", err
	}
	res, err := h.oci.Call(ctx, ocigenai.PathEmbed, body)
	if err != nil {
		if ctx.Err() == nil {
			h.upstreamFailed(err)
		}
		return "", err
	}
	if err := json.Unmarshal(res.Data, out); err != nil || len(out.Embeddings) != len(batch.Inputs) {
		return res.RequestID, &ocigenai.Error{Status: http.StatusBadGateway, Code: "BadResponse", RequestID: res.RequestID,
			Message: fmt.Sprintf("OCI returned %d embeddings for %d inputs (%v)", len(out.Embeddings), len(batch.Inputs), err)}
	}
	return res.RequestID, nil
}

// jsonSize estimates the encoded size of the vectors, to write the answer with one allocation.
func jsonSize(results []translator.EmbedTextResult) int {
	n := 0
	for _, r := range results {
		for _, v := range r.Embeddings {
			n += len(v)
		}
	}
	return n
}
