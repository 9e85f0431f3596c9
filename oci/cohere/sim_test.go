package cohere_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/oci/cohere"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

// The translations end to end, against the OCI simulator (see ocitest.Sim).

func TestSimulatorHistoryAndPreamble(t *testing.T) {
	e := ocitest.NewSim(t)
	const model = "cohere.command-a-03-2025"
	d, _, err := cohere.Request(ocitest.Request(t, `{"model":"x","messages":[
		{"role":"system","content":"Be brief."},
		{"role":"user","content":"Earlier"},{"role":"assistant","content":"Ok"},
		{"role":"user","content":[{"type":"text","text":"Say"},{"type":"text","text":"hi."}]}]}`), ocitest.Target(model))
	if err != nil {
		t.Fatal(err)
	}
	status, body := e.Post(d)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	c, err := cohere.Completion(body, "chatcmpl-1", "", 7)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"role":"assistant","content":"Hello from cohere.command-a-03-2025! You said: Say\nhi.","refusal":null} stop`
	if got := ocitest.CompletionJSON(t, c); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if c.Model != model || c.Usage.TotalTokens == 0 {
		t.Errorf("model %q usage %+v", c.Model, c.Usage)
	}
}

// The tool loop: the call the simulator makes comes back with a stable
// id, and replaying it with a tool result reaches the simulator as
// toolResults naming that call.
func TestSimulatorToolRoundTrip(t *testing.T) {
	e := ocitest.NewSim(t)
	const model = "cohere.command-a-03-2025"
	d, _, err := cohere.Request(ocitest.Request(t, `{"model":"x","tools":`+ocitest.WeatherTool+`,
		"messages":[{"role":"user","content":"Use get_weather for Paris"}]}`), ocitest.Target(model))
	if err != nil {
		t.Fatal(err)
	}
	status, body := e.Post(d)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	c, err := cohere.Completion(body, "chatcmpl-2", "", 7)
	if err != nil {
		t.Fatal(err)
	}
	msg := c.Choices[0].Message
	if c.Choices[0].FinishReason != "tool_calls" || len(msg.ToolCalls) != 1 || msg.Content != nil {
		t.Fatalf("completion %s", ocitest.CompletionJSON(t, c))
	}
	tc := msg.ToolCalls[0]
	// (V1 has no enum: the simulator fills every required str with the word after "for")
	if tc.Function.Name != "get_weather" || tc.Function.Arguments != `{"city":"Paris","unit":"Paris"}` {
		t.Errorf("call %+v", tc.Function)
	}
	if !strings.HasPrefix(tc.ID, "call_") || len(tc.ID) != 29 {
		t.Errorf("id %q", tc.ID)
	}
	again, _ := cohere.Completion(body, "chatcmpl-other", "", 8)
	if again.Choices[0].Message.ToolCalls[0].ID != tc.ID {
		t.Error("tool-call id not stable across responses")
	}

	history, _ := json.Marshal([]any{
		map[string]any{"role": "user", "content": "Use get_weather for Paris"},
		map[string]any{"role": "assistant", "content": nil, "tool_calls": msg.ToolCalls},
		map[string]any{"role": "tool", "tool_call_id": tc.ID, "content": `{"temp":21}`},
	})
	d, _, err = cohere.Request(ocitest.Request(t, `{"model":"x","tools":`+ocitest.WeatherTool+`,"messages":`+string(history)+`}`), ocitest.Target(model))
	if err != nil {
		t.Fatal(err)
	}
	status, body = e.Post(d)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	c, err = cohere.Completion(body, "chatcmpl-3", "", 7)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"role":"assistant","content":"The tool get_weather returned: [{\"temp\":21}]","refusal":null} stop`
	if got := ocitest.CompletionJSON(t, c); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestSimulatorDedicatedHistory(t *testing.T) {
	e := ocitest.NewSim(t)
	tg := ocitest.Target("ocid1.generativeaiendpoint.oc1..cohere-endpoint")
	tg.Dedicated = true
	d, _, err := cohere.Request(ocitest.Request(t, `{"model":"x","tools":`+ocitest.WeatherTool+`,"messages":[
		{"role":"system","content":"S"},{"role":"user","content":"Weather in Paris?"},
		{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"unit\":\"C\"}"}}]},
		{"role":"tool","tool_call_id":"c1","content":"[{\"temp\":20},{\"temp\":21}]"},
		{"role":"developer","content":"Be terse."},
		{"role":"user","content":"Thanks!"}]}`), tg)
	if err != nil {
		t.Fatal(err)
	}
	status, body := e.Post(d)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	c, err := cohere.Completion(body, "id", "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := *c.Choices[0].Message.Content; got != "Hello from ocid1.generativeaiendpoint.oc1..cohere-endpoint! You said: Thanks!" {
		t.Errorf("content %q", got)
	}
}

func TestSimulatorJSONStopMaxTokens(t *testing.T) {
	e := ocitest.NewSim(t)
	const model = "cohere.command-a-03-2025"
	d, _, err := cohere.Request(ocitest.Request(t, `{"model":"x","max_tokens":2,"stop":"!",
		"response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}},
		"messages":[{"role":"user","content":"x"}]}`), ocitest.Target(model))
	if err != nil {
		t.Fatal(err)
	}
	status, body := e.Post(d)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	c, _ := cohere.Completion(body, "id", "", 1)
	if got := ocitest.CompletionJSON(t, c); got != `{"role":"assistant","content":"{\"answer\":\"Hello from ","refusal":null} length` {
		t.Errorf("got %s", got)
	}
}

func TestSimulatorStream(t *testing.T) {
	e := ocitest.NewSim(t)
	const model = "cohere.command-a-03-2025"
	d, _, err := cohere.Request(ocitest.Request(t, `{"model":"x","stream":true,"stream_options":{"include_usage":true},
		"messages":[{"role":"user","content":"Say hi."}]}`), ocitest.Target(model))
	if err != nil {
		t.Fatal(err)
	}
	s := cohere.NewStream("chatcmpl-s", "m", 1, true)
	content, _, finish, usage := ocitest.RunStream(t, e, d, s)
	if content != "Hello from cohere.command-a-03-2025! You said: Say hi." || finish != "stop" || usage == nil || usage.TotalTokens != 9 {
		t.Errorf("content %q finish %q usage %+v", content, finish, usage)
	}
}

func TestSimulatorStreamToolCalls(t *testing.T) {
	e := ocitest.NewSim(t)
	const model = "cohere.command-a-03-2025"
	d, _, err := cohere.Request(ocitest.Request(t, `{"model":"x","stream":true,"tools":`+ocitest.WeatherTool+`,
		"messages":[{"role":"user","content":"get_weather for Rome"}]}`), ocitest.Target(model))
	if err != nil {
		t.Fatal(err)
	}
	s := cohere.NewStream("chatcmpl-s", "m", 1, false)
	content, calls, finish, _ := ocitest.RunStream(t, e, d, s)
	if content != "" || finish != "tool_calls" || len(calls) != 1 || calls[0].Function.Name != "get_weather" {
		t.Errorf("content %q finish %q calls %+v", content, finish, calls)
	}
	// the same call gets the same id as in a non-streaming answer
	d.ChatRequest.(*cohere.ChatRequest).IsStream = false
	_, body := e.Post(d)
	c, _ := cohere.Completion(body, "x", "", 1)
	if got := c.Choices[0].Message.ToolCalls; len(got) != 1 || got[0].ID != calls[0].ID || got[0].Function.Arguments != calls[0].Function.Arguments {
		t.Errorf("non-stream %+v vs stream %+v", got, calls)
	}
}
