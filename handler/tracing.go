package handler

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/ociai/ociai-proxy/ocigenai"
)

// Tracing: a server span per request (continuing a W3C traceparent) with the GenAI semantic-convention attributes;
// the pool adds a client span per OCI attempt under it. Prompts go into a span only with log_prompts.

// Attributes of the request span besides the semantic conventions and ocigenai's.
const (
	attrClientKey = attribute.Key("ociai.client_key") // the name of the client's key, never the key
	attrAttempts  = attribute.Key("ociai.attempts")   // OCI attempts the answer took, all targets together
)

// traceRequests gives every request its span; the route and the status are known when it ends.
func (h *Handler) traceRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := propagation.TraceContext{}.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := h.tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(semconv.HTTPRequestMethodKey.String(r.Method), semconv.URLPath(r.URL.Path)))
		info := infoFrom(ctx)
		info.span = span
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		defer func() {
			if info.route != "" {
				span.SetName(r.Method + " " + info.route)
				span.SetAttributes(semconv.HTTPRoute(info.route))
			}
			if info.keyName != "" {
				span.SetAttributes(attrClientKey.String(info.keyName))
			}
			span.SetAttributes(semconv.HTTPResponseStatusCode(sw.status))
			if sw.status >= 500 {
				span.SetStatus(codes.Error, http.StatusText(sw.status))
			}
			span.End()
		}()
		next.ServeHTTP(sw, r.WithContext(ctx))
	})
}

// traceOperation puts the GenAI operation and the requested model (the client's name for it) on the request span.
func traceOperation(info *requestInfo, operation, model string, more ...attribute.KeyValue) {
	if info.span.IsRecording() {
		info.span.SetAttributes(append(more,
			semconv.GenAIOperationNameKey.String(operation),
			semconv.GenAIProviderNameKey.String(ocigenai.ProviderName),
			semconv.GenAIRequestModel(model))...)
	}
}

// noteRequest logs the prompt when log_prompts is on and puts the chat request on the request span.
func (h *Handler) noteRequest(ctx context.Context, c *chatCall) {
	if h.opt.LogPrompts {
		h.log.LogAttrs(ctx, slog.LevelInfo, "prompt", slog.String("request_id", c.info.id), slog.Any("messages", c.req.Messages))
	}
	if !c.info.span.IsRecording() {
		return
	}
	var more []attribute.KeyValue
	if n := c.req.MaxCompletionTokens; n != nil {
		more = append(more, semconv.GenAIRequestMaxTokens(*n))
	} else if n := c.req.MaxTokens; n != nil {
		more = append(more, semconv.GenAIRequestMaxTokens(*n))
	}
	if t := c.req.Temperature; t != nil {
		more = append(more, semconv.GenAIRequestTemperature(*t))
	}
	if p := c.req.TopP; p != nil {
		more = append(more, semconv.GenAIRequestTopP(*p))
	}
	if h.opt.LogPrompts {
		// The messages as the client API's hub request holds them (OpenAI chat shapes), not the conventions'
		// parts schema.
		if b, err := json.Marshal(c.req.Messages); err == nil {
			more = append(more, semconv.GenAIInputMessagesKey.String(string(b)))
		}
	}
	traceOperation(c.info, ocigenai.Operation(ocigenai.PathChat), c.req.Model, more...)
}

// traceAnswer puts what OCI answered on the request span and on the answering attempt's span.
func traceAnswer(c *chatCall) {
	res, reqSpan := c.answer, c.info.span
	if !reqSpan.IsRecording() && !res.Span.IsRecording() {
		return
	}
	attrs := []attribute.KeyValue{semconv.GenAIResponseModel(res.Target.Model), semconv.GenAIResponseID(c.id)}
	if len(c.finishes) > 0 {
		attrs = append(attrs, semconv.GenAIResponseFinishReasons(c.finishes...))
	}
	if u := c.tokens; u != nil {
		attrs = append(attrs, semconv.GenAIUsageInputTokens(u.PromptTokens), semconv.GenAIUsageOutputTokens(u.CompletionTokens))
	}
	res.Span.SetAttributes(attrs...)
	traceServedBy(reqSpan, res, attrs...)
}

// traceServedBy puts the target that answered, and how, on the request span.
func traceServedBy(span trace.Span, res *ocigenai.Response, attrs ...attribute.KeyValue) {
	if span.IsRecording() {
		span.SetAttributes(append(attrs, semconv.CloudRegion(res.Target.Region), ocigenai.AttrTarget.String(res.Target.String()),
			attrAttempts.Int(res.Attempts), ocigenai.AttrRequestID.String(res.RequestID))...)
	}
}

// traceInputTokens puts the input tokens of an embeddings call on a span.
func traceInputTokens(span trace.Span, n int) {
	if span.IsRecording() {
		span.SetAttributes(semconv.GenAIUsageInputTokens(n))
	}
}
