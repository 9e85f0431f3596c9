package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ResponsesResult compares the Responses API with chat completions through the same gateway, on the same prompt
// and model, streaming or not.
type ResponsesResult struct {
	Run         string  `json:"run"` // date and commit of the run that measured it (the report may merge runs)
	Stream      bool    `json:"stream"`
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"`
	Chat        Side    `json:"chat_completions"`
	Responses   Side    `json:"responses"`
}

// oaResponse is a POST /v1/responses body.
type oaResponse struct {
	Model        string `json:"model"`
	Instructions string `json:"instructions,omitempty"`
	Input        string `json:"input"`
	Stream       bool   `json:"stream,omitempty"`
}

// response sends one Responses API request and reads the whole answer (or stream) to its end.
func (g *viaGateway) response(ctx context.Context, prompt string, stream bool) error {
	res, err := g.post(ctx, "/v1/responses", oaResponse{Model: "llama", Input: prompt, Stream: stream})
	if err != nil {
		return err
	}
	if stream {
		return drain(res, []byte("event: response.completed\n"))
	}
	return drain(res, []byte(`"status":"completed"`))
}

// chatTurn is the same request on chat completions.
func (g *viaGateway) chatTurn(ctx context.Context, prompt string, stream bool) error {
	res, err := g.post(ctx, "/v1/chat/completions", oaChat{Model: "llama", Stream: stream, Messages: []oaMessage{{Role: "user", Content: prompt}}})
	if err != nil {
		return err
	}
	if stream {
		return drain(res, []byte("data: [DONE]"))
	}
	return drain(res, []byte(`"finish_reason":"stop"`))
}

// responses: closed loop at fixed concurrency through one gateway, chat completions and the Responses API in
// alternating segments, non-streaming then streaming (the simulator answers at once, so a stream's cost is all
// translation): requests per second, latency and gateway CPU per request of each API.
func (r *runner) responses(ctx context.Context) error {
	s, g, err := r.plain(ctx)
	if err != nil {
		return err
	}
	gw := newViaGateway(g.URL, r.o.conc)
	for _, stream := range []bool{false, true} {
		ways := []way{
			{name: "chat", fn: func(ctx context.Context) error { return gw.chatTurn(ctx, shortPrompt, stream) }, gw: g},
			{name: "responses", fn: func(ctx context.Context) error { return gw.response(ctx, shortPrompt, stream) }, gw: g},
		}
		tot := r.alternate(ctx, ways, s, r.o.duration, segments, func(ctx context.Context, fn call, d time.Duration) runResult {
			return closedLoop(ctx, r.o.conc, d, fn)
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		run := r.res.Started.UTC().Format("2006-01-02 15:04 UTC") + ", commit " + r.res.Machine.GitCommit
		res := ResponsesResult{Run: run, Stream: stream, Concurrency: r.o.conc, Seconds: r.o.duration.Seconds(), Chat: tot[0].side(), Responses: tot[1].side()}
		r.res.Responses = append(r.res.Responses, res)
		for _, sd := range []struct {
			name string
			s    Side
		}{{"chat", res.Chat}, {"responses", res.Responses}} {
			progress("  stream=%v %-9s %.0f req/s, p50 %.3f p99 %.3f ms, gateway CPU %.3f ms/req", stream, sd.name, sd.s.RPS, sd.s.Latency.P50, sd.s.Latency.P99, sd.s.GatewayCPUMs)
		}
		if tot[0].Errors+tot[1].Errors > 0 {
			return fmt.Errorf("stream=%v: errors chat %d (%s), responses %d (%s)", stream, tot[0].Errors, tot[0].FirstErr, tot[1].Errors, tot[1].FirstErr)
		}
	}
	return nil
}

// responsesTarget: the Responses API costs the gateway no more than chat completions, within 5 % (the
// measurement's resolution on a shared machine), streaming and not.
func responsesTarget(rs []ResponsesResult) target {
	tg := target{name: "Responses API: gateway CPU per request ≤ 1.05 × chat completions (same run), streaming and not", measured: "not measured"}
	var parts []string
	for _, x := range rs {
		ratio := x.Responses.GatewayCPUMs / max(x.Chat.GatewayCPUMs, 1e-9)
		tg.known, tg.met = true, (len(parts) == 0 || tg.met) && ratio <= 1.05
		parts = append(parts, fmt.Sprintf("%s %.2f × (%.3f vs %.3f ms)", map[bool]string{true: "streaming", false: "non-streaming"}[x.Stream], ratio, x.Responses.GatewayCPUMs, x.Chat.GatewayCPUMs))
	}
	if tg.known {
		tg.measured = strings.Join(parts, ", ")
	}
	return tg
}

// mdResponses reports the comparison.
func (r *runner) mdResponses(w *mdWriter) {
	rs := r.res.Responses
	if len(rs) == 0 {
		return
	}
	w.p("## Responses API against chat completions\n")
	w.p("The same short prompt (`%s`) and model (Llama, GENERIC) through the same gateway, as a chat completion and as a Responses API request (`POST /v1/responses`), %d workers in a closed loop, %.0f s per API in alternating segments. A streamed request is read to its end (`data: [DONE]`, `response.completed`); the simulator answers at once, so the stream's time is all translation and transport. CPU per request in milliseconds of CPU time. Measured %s.\n", shortPrompt, rs[0].Concurrency, rs[0].Seconds, rs[0].Run)
	w.head("Stream", "API", "Requests/s", "p50 ms", "p99 ms", "Errors", "Gateway CPU/req", "Responses ÷ chat (gateway CPU)")
	for _, x := range rs {
		w.row(yes(x.Stream), "chat completions", x.Chat.RPS, x.Chat.Latency.P50, x.Chat.Latency.P99, x.Chat.Errors, f3(x.Chat.GatewayCPUMs), "")
		w.row(yes(x.Stream), "Responses API", x.Responses.RPS, x.Responses.Latency.P50, x.Responses.Latency.P99, x.Responses.Errors, f3(x.Responses.GatewayCPUMs),
			fmt.Sprintf("**%.2f ×**", x.Responses.GatewayCPUMs/max(x.Chat.GatewayCPUMs, 1e-9)))
	}
	w.p("")
}
