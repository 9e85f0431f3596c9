package coherev2_test

import (
	"encoding/json"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/coherev2"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

// The translations end to end, against the OCI simulator (see ocitest.Sim).

func TestSimulatorVision(t *testing.T) {
	e := ocitest.NewSim(t)
	const vision = "cohere.command-a-vision-07-2025"
	req := ocitest.Request(t, `{"model":"x","messages":[{"role":"system","content":"Describe precisely."},{"role":"user","content":[
		{"type":"text","text":"What is this?"},
		{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}}]}]}`)
	if !hub.HasImages(req) {
		t.Fatal("HasImages = false")
	}
	d, _, err := coherev2.Request(req, ocitest.Target(vision))
	if err != nil {
		t.Fatal(err)
	}
	status, body := e.Post(d)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	c, err := coherev2.Completion(body, "id", "", 1)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"role":"assistant","content":"Hello from cohere.command-a-vision-07-2025! You said: What is this? [1 image(s)]","refusal":null} stop`
	if got := ocitest.CompletionJSON(t, c); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestSimulatorForcedToolRoundTrip(t *testing.T) {
	e := ocitest.NewSim(t)
	const vision = "cohere.command-a-vision-07-2025"
	d, _, err := coherev2.Request(ocitest.Request(t, `{"model":"x","tools":`+ocitest.WeatherTool+`,"tool_choice":"required",
		"messages":[{"role":"user","content":"What now for Oslo?"}]}`), ocitest.Target(vision))
	if err != nil {
		t.Fatal(err)
	}
	status, body := e.Post(d)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	c, _ := coherev2.Completion(body, "id", "", 1)
	msg := c.Choices[0].Message
	if c.Choices[0].FinishReason != "tool_calls" || len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Function.Arguments != `{"city":"Oslo","unit":"C"}` {
		t.Fatalf("completion %s", ocitest.CompletionJSON(t, c))
	}
	history, _ := json.Marshal([]any{
		map[string]any{"role": "user", "content": "What now for Oslo?"},
		map[string]any{"role": "assistant", "content": nil, "tool_calls": msg.ToolCalls},
		map[string]any{"role": "tool", "tool_call_id": msg.ToolCalls[0].ID, "content": "sunny"},
	})
	d, _, err = coherev2.Request(ocitest.Request(t, `{"model":"x","tools":`+ocitest.WeatherTool+`,"messages":`+string(history)+`}`), ocitest.Target(vision))
	if err != nil {
		t.Fatal(err)
	}
	status, body = e.Post(d)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	c, _ = coherev2.Completion(body, "id", "", 1)
	if got := *c.Choices[0].Message.Content; got != "The tool "+msg.ToolCalls[0].ID+" returned: sunny" {
		t.Errorf("content %q", got)
	}
}

func TestSimulatorReasoning(t *testing.T) {
	e := ocitest.NewSim(t)
	d, _, err := coherev2.Request(ocitest.Request(t, `{"model":"x","reasoning_effort":"high","messages":[{"role":"user","content":"Why"}]}`),
		ocitest.Target("cohere.command-a-reasoning-08-2025"))
	if err != nil {
		t.Fatal(err)
	}
	_, body := e.Post(d)
	c, _ := coherev2.Completion(body, "id", "", 1)
	if m := c.Choices[0].Message; m.ReasoningContent != "Thinking about: Why" || *m.Content != "Hello from cohere.command-a-reasoning-08-2025! You said: Why" {
		t.Errorf("message %+v", m)
	}
}

func TestSimulatorStreamReasoningUsage(t *testing.T) {
	e := ocitest.NewSim(t)
	d, _, err := coherev2.Request(ocitest.Request(t, `{"model":"x","stream":true,"stream_options":{"include_usage":true},
		"messages":[{"role":"user","content":"Why"}]}`), ocitest.Target("cohere.command-a-reasoning-08-2025"))
	if err != nil {
		t.Fatal(err)
	}
	s := coherev2.NewStream("chatcmpl-s", "m", 1, true)
	content, _, finish, usage := ocitest.RunStream(t, e, d, s)
	if content != "Hello from cohere.command-a-reasoning-08-2025! You said: Why" || finish != "stop" || usage == nil || usage.CompletionTokens == 0 {
		t.Errorf("content %q finish %q usage %+v", content, finish, usage)
	}
}

func TestSimulatorStreamToolCalls(t *testing.T) {
	e := ocitest.NewSim(t)
	d, _, err := coherev2.Request(ocitest.Request(t, `{"model":"x","stream":true,"tools":`+ocitest.WeatherTool+`,
		"messages":[{"role":"user","content":"get_weather for Rome"}]}`), ocitest.Target("cohere.command-a-03-2025"))
	if err != nil {
		t.Fatal(err)
	}
	s := coherev2.NewStream("chatcmpl-s", "m", 1, false)
	_, calls, finish, _ := ocitest.RunStream(t, e, d, s)
	if finish != "tool_calls" || len(calls) != 1 || calls[0].Function.Arguments != `{"city":"Rome","unit":"C"}` || calls[0].ID == "" {
		t.Errorf("finish %q calls %+v", finish, calls)
	}
}
