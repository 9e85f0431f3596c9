package handler_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	aoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/ocisim"
)

// The Anthropic Messages API through the gateway, driven by the official Go SDK against the simulator.

func (e *env) anthropic(key string) anthropic.Client {
	return anthropic.NewClient(aoption.WithBaseURL(e.gateway.URL), aoption.WithAPIKey(key), aoption.WithMaxRetries(0))
}

// stream runs a streaming request and returns the message the SDK accumulates from its events.
func stream(t *testing.T, c anthropic.Client, p anthropic.MessageNewParams) anthropic.Message {
	t.Helper()
	s := c.Messages.NewStreaming(context.Background(), p)
	defer s.Close()
	var m anthropic.Message
	for s.Next() {
		if err := m.Accumulate(s.Current()); err != nil {
			t.Fatalf("accumulate: %v", err)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatalf("stream: %v", err)
	}
	return m
}

func userText(s string) []anthropic.MessageParam {
	return []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(s))}
}

// sameAnswer compares what a whole and a streamed answer say. Ids differ: message ids, and the tool-call ids
// the gateway makes up where OCI sends none (Gemini).
func sameAnswer(t *testing.T, whole, streamed *anthropic.Message) {
	t.Helper()
	said := func(m *anthropic.Message) string {
		content := make([]anthropic.ContentBlockUnion, len(m.Content))
		for i, b := range m.Content {
			if b.Type == "tool_use" && b.ID == "" {
				t.Errorf("tool_use without an id: %s", b.RawJSON())
			}
			b.ID = ""
			content[i] = b
		}
		out, _ := json.Marshal(map[string]any{"content": content, "stop": m.StopReason, "usage": m.Usage, "model": m.Model})
		return string(out)
	}
	w, s := said(whole), said(streamed)
	if string(w) != string(s) {
		t.Errorf("whole and streamed answers differ:\nwhole    %s\nstreamed %s", w, s)
	}
}

var messagesFamilies = map[string]string{ // model name → OCI model id; every format and GENERIC streaming pattern
	"llama": "meta.llama-3.3-70b-instruct", "grok": "xai.grok-4", "gemini": "google.gemini-2.5-flash",
	"command-a": "cohere.command-a-03-2025", "command-a-vision": "cohere.command-a-vision-07-2025",
}

func TestMessagesEveryFamily(t *testing.T) {
	e := newEnv(t)
	c := e.anthropic(testKey)
	for name, id := range messagesFamilies {
		t.Run(name, func(t *testing.T) {
			p := anthropic.MessageNewParams{Model: anthropic.Model(name), MaxTokens: 200, Messages: userText("Hi there"),
				System: []anthropic.TextBlockParam{{Text: "Be brief."}}}
			whole, err := c.Messages.New(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if len(whole.Content) != 1 || whole.Content[0].Text != "Hello from "+id+"! You said: Hi there" || whole.StopReason != "end_turn" ||
				!strings.HasPrefix(whole.ID, "msg_") || string(whole.Model) != name || whole.Usage.InputTokens == 0 || whole.Usage.OutputTokens == 0 {
				t.Fatalf("message %s", whole.RawJSON())
			}
			streamed := stream(t, c, p)
			sameAnswer(t, whole, &streamed)
		})
	}
}

var anthropicWeather = anthropic.ToolUnionParamOfTool(anthropic.ToolInputSchemaParam{
	Properties: map[string]any{"city": map[string]any{"type": "string"}}, Required: []string{"city"}}, "get_weather")

func TestMessagesToolRoundTrip(t *testing.T) {
	e := newEnv(t)
	c := e.anthropic(testKey)
	for name := range messagesFamilies {
		t.Run(name, func(t *testing.T) {
			p := anthropic.MessageNewParams{Model: anthropic.Model(name), MaxTokens: 200, Tools: []anthropic.ToolUnionParam{anthropicWeather},
				Messages: userText("Use get_weather for Paris.")}
			first := stream(t, c, p)
			whole, err := c.Messages.New(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			sameAnswer(t, whole, &first)
			if first.StopReason != "tool_use" || len(first.Content) != 1 {
				t.Fatalf("first answer %s", first.RawJSON())
			}
			call := first.Content[0]
			if call.Type != "tool_use" || call.Name != "get_weather" || call.ID == "" || string(call.Input) != `{"city":"Paris"}` {
				t.Fatalf("call %s", call.RawJSON())
			}
			p.Messages = append(p.Messages, first.ToParam(),
				anthropic.NewUserMessage(anthropic.NewToolResultBlock(call.ID, `{"celsius":21}`, false)))
			second, err := c.Messages.New(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if second.StopReason != "end_turn" || !strings.Contains(second.Content[0].Text, `returned: `) || !strings.Contains(second.Content[0].Text, `{"celsius":21}`) {
				t.Fatalf("second answer %s", second.RawJSON())
			}
		})
	}
}

func TestMessagesImages(t *testing.T) {
	e := newEnv(t)
	c := e.anthropic(testKey)
	for name, id := range map[string]string{"grok": "xai.grok-4", "command-a-vision": "cohere.command-a-vision-07-2025"} {
		m, err := c.Messages.New(context.Background(), anthropic.MessageNewParams{Model: anthropic.Model(name), MaxTokens: 100,
			Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewImageBlockBase64("image/png", "iVBORw0KGgo="), anthropic.NewTextBlock("What is it?"))}})
		if err != nil {
			t.Fatal(err)
		}
		if m.Content[0].Text != "Hello from "+id+"! You said: What is it? [1 image(s)]" {
			t.Errorf("%s: %s", name, m.RawJSON())
		}
	}
}

// Reasoning comes back as thinking blocks, which go back as history; an effort reaches only models that take
// one (the simulator reasons whenever reasoningEffort is set, so llama would answer with thinking).
func TestMessagesThinking(t *testing.T) {
	e := newEnv(t)
	c := e.anthropic(testKey)
	p := anthropic.MessageNewParams{Model: "gpt-oss", MaxTokens: 500, Thinking: anthropic.ThinkingConfigParamOfEnabled(2048), Messages: userText("Think first")}
	whole, err := c.Messages.New(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	streamed := stream(t, c, p)
	sameAnswer(t, whole, &streamed)
	if len(whole.Content) != 2 || whole.Content[0].Type != "thinking" || whole.Content[0].Thinking != "Thinking about: Think first" || whole.Content[1].Type != "text" {
		t.Fatalf("message %s", whole.RawJSON())
	}
	p.Messages = append(p.Messages, whole.ToParam(), anthropic.NewUserMessage(anthropic.NewTextBlock("And now?")))
	if _, err := c.Messages.New(context.Background(), p); err != nil {
		t.Fatalf("thinking sent back: %v", err)
	}

	for _, model := range []string{"llama", "grok"} {
		m := stream(t, c, anthropic.MessageNewParams{Model: anthropic.Model(model), MaxTokens: 100, Messages: userText("x"),
			OutputConfig: anthropic.OutputConfigParam{Effort: "high"}, Thinking: anthropic.ThinkingConfigParamUnion{OfAdaptive: &anthropic.ThinkingConfigAdaptiveParam{}}})
		if len(m.Content) != 1 || m.Content[0].Type != "text" {
			t.Errorf("%s with effort high: %s", model, m.RawJSON())
		}
	}
	res := e.do(t, "POST", "/v1/messages", `{"model":"gpt-oss","max_tokens":100,"thinking":{"type":"adaptive","display":"omitted"},"messages":[{"role":"user","content":"x"}]}`)
	if body, _ := io.ReadAll(res.Body); res.StatusCode != 200 || strings.Contains(string(body), "thinking") {
		t.Errorf("display omitted: %d %s", res.StatusCode, body)
	}
}

func TestMessagesStopReasons(t *testing.T) {
	e := newEnv(t)
	c := e.anthropic(testKey)
	for _, tc := range []struct {
		model     string
		maxTokens int64
		stops     []string
		reason    anthropic.StopReason
		sequence  string
	}{
		{"llama", 2, nil, "max_tokens", ""},
		{"command-a-vision", 100, []string{"said"}, "stop_sequence", "said"}, // COHEREV2 names a stop sequence
		{"llama", 100, []string{"said"}, "end_turn", ""},                     // GENERIC reports it as a plain stop
	} {
		p := anthropic.MessageNewParams{Model: anthropic.Model(tc.model), MaxTokens: tc.maxTokens, StopSequences: tc.stops, Messages: userText("Hello there")}
		whole, err := c.Messages.New(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		streamed := stream(t, c, p)
		sameAnswer(t, whole, &streamed)
		if whole.StopReason != tc.reason || whole.StopSequence != tc.sequence || streamed.StopSequence != tc.sequence {
			t.Errorf("%s %v: %s", tc.model, tc.stops, whole.RawJSON())
		}
	}
}

// apiError returns the SDK's typed error, failing when err is not one with this status and type.
func apiError(t *testing.T, err error, status int, typ string) *anthropic.Error {
	t.Helper()
	var ae *anthropic.Error
	if !errors.As(err, &ae) || ae.StatusCode != status || string(ae.Type()) != typ || ae.RequestID == "" {
		t.Fatalf("error %v, want %d %s with a request id", err, status, typ)
	}
	return ae
}

func TestMessagesErrors(t *testing.T) {
	e := newEnv(t, func(o *handlerOptions) { o.MaxBodyBytes = 4096 })
	hi := anthropic.MessageNewParams{Model: "grok", MaxTokens: 10, Messages: userText("x")}
	ctx := context.Background()

	wrong := e.anthropic("sk-wrong")
	_, err := wrong.Messages.New(ctx, hi)
	apiError(t, err, 401, "authentication_error")
	c := e.anthropic(testKey)
	bad := hi
	bad.Model = "claude-sonnet-4-5"
	_, err = c.Messages.New(ctx, bad)
	if ae := apiError(t, err, 404, "not_found_error"); !strings.Contains(ae.Message, "grok") {
		t.Errorf("404 should list the models: %s", ae.Message)
	}
	bad = hi
	bad.MaxTokens = -1
	_, err = c.Messages.New(ctx, bad)
	apiError(t, err, 400, "invalid_request_error")
	bad = hi
	bad.Messages = userText(strings.Repeat("x", 5000))
	_, err = c.Messages.New(ctx, bad)
	apiError(t, err, 413, "request_too_large")

	e.sim.Inject(ocisim.Fault{Status: 429, RetryAfter: "7"})
	_, err = c.Messages.New(ctx, hi)
	if ae := apiError(t, err, 429, "rate_limit_error"); ae.Response.Header.Get("Retry-After") != "7" {
		t.Errorf("Retry-After %q", ae.Response.Header.Get("Retry-After"))
	}
	e.sim.Inject(ocisim.Fault{Status: 500})
	_, err = c.Messages.New(ctx, hi)
	apiError(t, err, 502, "api_error")

	// A stream that breaks off ends with an error event, which the SDK raises.
	e.sim.Inject(ocisim.Fault{BreakAfter: 2})
	s := c.Messages.NewStreaming(ctx, anthropic.MessageNewParams{Model: "llama", MaxTokens: 100, Messages: userText("a longer answer please")})
	for s.Next() {
	}
	var ae *anthropic.Error
	if err := s.Err(); !errors.As(err, &ae) || ae.Type() != "api_error" || !strings.Contains(ae.Message, "OCI Generative AI") {
		t.Errorf("broken stream: %v", err)
	}
	s.Close()
}

// The details Claude Code depends on: any prefix and query string, x-api-key or Bearer, the version and beta
// headers, the request-id header, and what Claude Code 2.1.328 really sent (it must never be refused).
func TestMessagesAsClaudeCodeSendsThem(t *testing.T) {
	e := newEnv(t)
	body, err := os.ReadFile("../anthropic/testdata/claude-code-2.1.328-request.json")
	if err != nil {
		t.Fatal(err)
	}
	req := strings.Replace(string(body), `"model": "grok-4"`, `"model": "grok"`, 1)
	res := e.do(t, "POST", "/anthropic/v1/messages?beta=true", req, "Authorization", "", "x-api-key", testKey,
		"anthropic-version", "2023-06-01", "anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14")
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" || !strings.HasPrefix(string(data), "event: message_start\n") ||
		!strings.HasSuffix(string(data), "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n") {
		t.Fatalf("%d %s\n%s", res.StatusCode, res.Header, data)
	}
	if id := res.Header.Get("Request-Id"); id == "" || id != res.Header.Get("X-Request-Id") {
		t.Errorf("request-id %q", id)
	}
	res = e.do(t, "POST", "/v1/messages/count_tokens?beta=true", strings.Replace(req, `"stream": true`, `"stream": false`, 1))
	var n struct {
		InputTokens int `json:"input_tokens"`
	}
	if err := json.NewDecoder(res.Body).Decode(&n); err != nil || res.StatusCode != 200 || n.InputTokens < 1000 {
		t.Errorf("count_tokens %d %+v %v", res.StatusCode, n, err)
	}
}

func TestMessagesCountTokens(t *testing.T) {
	e := newEnv(t)
	c := e.anthropic(testKey)
	n, err := c.Messages.CountTokens(context.Background(), anthropic.MessageCountTokensParams{Model: "grok", Messages: userText("How many tokens is this?")})
	if err != nil || n.InputTokens < 5 {
		t.Fatalf("%+v %v", n, err)
	}
	_, err = c.Messages.CountTokens(context.Background(), anthropic.MessageCountTokensParams{Model: "nope", Messages: userText("x")})
	apiError(t, err, 404, "not_found_error")
	wrong := e.anthropic("sk-wrong")
	_, err = wrong.Messages.CountTokens(context.Background(), anthropic.MessageCountTokensParams{Model: "grok", Messages: userText("x")})
	apiError(t, err, 401, "authentication_error")
	if got := len(e.sim.Requests()); got != 0 {
		t.Errorf("count_tokens called OCI %d times", got)
	}
}

// While OCI is silent the stream carries ping events, which the SDK skips.
func TestMessagesPing(t *testing.T) {
	e := newEnvSim(t, ocisim.Options{TokenDelay: 120 * time.Millisecond}, func(o *handler.Options) { o.KeepAlive = 50 * time.Millisecond })
	res := e.do(t, "POST", "/v1/messages", `{"model":"llama","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"ping me"}]}`)
	body, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(body), "event: ping\ndata: {\"type\":\"ping\"}\n\n") {
		t.Fatalf("no ping in\n%s", body)
	}
	var m anthropic.Message
	for _, block := range strings.Split(strings.TrimSpace(string(body)), "\n\n") {
		_, data, _ := strings.Cut(block, "data: ")
		var ev anthropic.MessageStreamEventUnion
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatal(err)
		}
		if err := m.Accumulate(ev); err != nil {
			t.Fatal(err)
		}
	}
	if m.Content[0].Text != "Hello from meta.llama-3.3-70b-instruct! You said: ping me" {
		t.Errorf("%s", m.RawJSON())
	}
}

// The stream ends right whatever way OCI ends it: without [DONE], or with the connection left open.
func TestMessagesStreamEnds(t *testing.T) {
	for name, f := range map[string]ocisim.Fault{"hangs after finish": {HangAfterFinish: true}} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.sim.Inject(f)
			m := stream(t, e.anthropic(testKey), anthropic.MessageNewParams{Model: "grok", MaxTokens: 100, Messages: userText("end")})
			if m.StopReason != "end_turn" || m.Usage.OutputTokens == 0 {
				t.Errorf("%s", m.RawJSON())
			}
			e.simSrv.CloseClientConnections()
		})
	}
	e := newEnvSim(t, ocisim.Options{OmitDone: true})
	m := stream(t, e.anthropic(testKey), anthropic.MessageNewParams{Model: "command-a", MaxTokens: 100, Messages: userText("end")})
	if m.StopReason != "end_turn" || m.Content[0].Text != "Hello from cohere.command-a-03-2025! You said: end" {
		t.Errorf("no [DONE]: %s", m.RawJSON())
	}
}
