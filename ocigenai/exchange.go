package ocigenai

import (
	"context"
	"errors"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// exchange is one request on its way through a route: what is sent, and the attempts made so far.
type exchange struct {
	path      string
	stream    bool
	firstByte time.Duration // streams: longest wait for a target's headers (0: none)

	pool     *Pool
	policy   RetryPolicy
	attempts int // HTTP attempts so far, all targets together
}

// ErrNoFirstByte is the cause (Error.Err) of a stream attempt whose headers took longer than the first-byte limit.
var ErrNoFirstByte = errors.New("no answer before the first-byte timeout")

// try sends the request to t, retrying up to retries times as the policy allows.
func (x *exchange) try(ctx context.Context, t *Target, data []byte, retries int) (*Response, *Error) {
	c := t.conn()
	p := x.policy
	p.MaxRetries = retries
	var hook func(int, *Error)
	if on := x.pool.OnRetry; on != nil {
		hook = func(n int, e *Error) { on(x.path, n, e.Status, e.code()) }
	}
	var span trace.Span
	var own *attemptCtx
	res, e := retry(ctx, p, hook, func() (*http.Response, *Error) {
		x.attempts++
		span = x.startSpan(ctx, t)
		t.requests.Add(1)
		t.inFlight.Add(1)
		res, a, e := x.send(ctx, c, data)
		if e != nil {
			t.inFlight.Add(-1)
			t.errors[classify(e)].Add(1)
			endSpan(span, e)
			return nil, e
		}
		own = a
		return res, nil
	})
	if e != nil {
		e.Region = t.Region
		return nil, e
	}
	out := &Response{RequestID: res.Header.Get("opc-request-id"), Span: span, target: t, own: own}
	if span.IsRecording() {
		span.SetAttributes(semconv.HTTPResponseStatusCode(res.StatusCode), AttrRequestID.String(out.RequestID))
	}
	if x.stream {
		out.Events = NewEventReader(res.Body)
		return out, nil
	}
	defer res.Body.Close()
	out.Data, e = readAnswer(ctx, res)
	out.releaseSlot()
	if e != nil {
		e.Region = t.Region
		t.errors[classify(e)].Add(1)
		endSpan(span, e)
		return nil, e
	}
	return out, nil
}

// readAnswer reads a whole answer; a body cut short is a transport error of the request that started it.
func readAnswer(ctx context.Context, res *http.Response) ([]byte, *Error) {
	data, err := readBody(res)
	if err != nil {
		return nil, transportError(ctx, res.Header.Get("opc-request-id"), err)
	}
	return data, nil
}

// send makes one attempt. For a stream with a first-byte limit it runs under a context of its own, which ends
// with ctx or once the stream is done (attemptCtx), whichever comes first.
func (x *exchange) send(ctx context.Context, c *Client, data []byte) (*http.Response, *attemptCtx, *Error) {
	if !x.stream || x.firstByte <= 0 {
		res, e := c.send(ctx, x.path, data, x.stream)
		return res, nil, e
	}
	a := newAttemptCtx(ctx)
	timer := time.AfterFunc(x.firstByte, func() { a.cancel(ErrNoFirstByte) })
	res, e := c.send(a.ctx, x.path, data, true)
	if !timer.Stop() && ctx.Err() == nil { // the headers came too late, or not at all
		if res != nil {
			res.Body.Close()
		}
		a.end(nil)
		return nil, nil, &Error{Timeout: true, Code: "Timeout", Message: "OCI sent no answer within " + x.firstByte.String(), Err: ErrNoFirstByte}
	}
	if e != nil {
		a.end(nil)
		return nil, nil, e
	}
	return res, a, nil
}

// attemptCtx is the context of one stream attempt. It ends when its caller's context does, as long as it is
// linked to it; unlinked (once the answer has been read to its end, see Response.Drain) it outlives the
// caller's context until end, so that the last bytes of the answer can still be read.
type attemptCtx struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	unlink func() bool
}

func newAttemptCtx(parent context.Context) *attemptCtx {
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(parent))
	unlink := context.AfterFunc(parent, func() { cancel(context.Cause(parent)) })
	return &attemptCtx{ctx: ctx, cancel: cancel, unlink: unlink}
}

// end cancels the attempt with cause (nil: it is done).
func (a *attemptCtx) end(cause error) {
	a.unlink()
	a.cancel(cause)
}

// Attributes of the spans besides the OpenTelemetry semantic conventions.
const (
	AttrTarget    = attribute.Key("ociai.target")  // model@region
	AttrAttempt   = attribute.Key("ociai.attempt") // 1 for the request's first HTTP attempt, counting all targets
	AttrRequestID = attribute.Key("oci.opc_request_id")
)

// ProviderName is the gen_ai.provider.name of OCI Generative AI. The GenAI semantic conventions list no
// well-known value for it; this follows the style of the listed ones (aws.bedrock, gcp.vertex_ai).
const ProviderName = "oci.generative_ai"

// Operation is the gen_ai.operation.name of an inference path: chat or embeddings.
func Operation(path string) string {
	if path == PathEmbed {
		return semconv.GenAIOperationNameEmbeddings.Value.AsString()
	}
	return semconv.GenAIOperationNameChat.Value.AsString()
}

// startSpan opens the span of one attempt (a no-op span when the pool does not trace).
func (x *exchange) startSpan(ctx context.Context, t *Target) trace.Span {
	if !x.pool.tracing {
		return trace.SpanFromContext(context.Background())
	}
	op := Operation(x.path)
	_, span := x.pool.tracer.Start(ctx, op+" "+t.Model, trace.WithSpanKind(trace.SpanKindClient))
	if span.IsRecording() {
		span.SetAttributes(
			semconv.GenAIOperationNameKey.String(op),
			semconv.GenAIProviderNameKey.String(ProviderName),
			semconv.GenAIRequestModel(t.Model),
			semconv.CloudProviderOracleCloud,
			semconv.CloudRegion(t.Region),
			semconv.ServerAddress(t.host()),
			AttrTarget.String(t.name),
			AttrAttempt.Int(x.attempts),
		)
	}
	return span
}

// endSpan ends a failed attempt's span with what went wrong.
func endSpan(span trace.Span, e *Error) {
	if span.IsRecording() {
		span.SetAttributes(semconv.ErrorTypeKey.String(e.code()))
		if e.Status != 0 {
			span.SetAttributes(semconv.HTTPResponseStatusCode(e.Status))
		}
		if e.RequestID != "" {
			span.SetAttributes(AttrRequestID.String(e.RequestID))
		}
		span.SetStatus(codes.Error, e.Error())
	}
	span.End()
}
