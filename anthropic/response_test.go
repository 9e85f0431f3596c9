package anthropic

import (
	"encoding/json"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

// completions are hub answers with the Anthropic message each must become (thinking shown).
var completions = []struct{ name, hub, want string }{
	{"text", `{"id":"msg_1","model":"claude-x","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],
		"usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12,"prompt_tokens_details":{"cached_tokens":4}}}`,
		`{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","stop_sequence":null,
		"usage":{"input_tokens":6,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":2}}`},
	{"reasoning, text and tool calls; broken arguments become {}", `{"id":"msg_2","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Let me look.","reasoning_content":"Thinking",
		"tool_calls":[{"id":"call_1","type":"function","function":{"name":"Bash","arguments":"{\"command\":\"ls\"}"}},{"id":"call_2","type":"function","function":{"name":"Read","arguments":"{\"path\":"}}]},
		"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":3,"completion_tokens":9,"total_tokens":12}}`,
		`{"id":"msg_2","type":"message","role":"assistant","model":"m","content":[{"type":"thinking","thinking":"Thinking","signature":""},{"type":"text","text":"Let me look."},
		{"type":"tool_use","id":"call_1","name":"Bash","input":{"command":"ls"}},{"type":"tool_use","id":"call_2","name":"Read","input":{}}],
		"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":3,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":9}}`},
	{"Llama reports stop with tool calls", `{"id":"msg_3","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,
		"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"stop"}]}`,
		`{"id":"msg_3","type":"message","role":"assistant","model":"m","content":[{"type":"tool_use","id":"c","name":"f","input":{}}],"stop_reason":"tool_use","stop_sequence":null,
		"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}`},
	{"cut by max tokens; empty text gives no block", `{"id":"msg_4","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"length"}],
		"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}`,
		`{"id":"msg_4","type":"message","role":"assistant","model":"m","content":[],"stop_reason":"max_tokens","stop_sequence":null,
		"usage":{"input_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}`},
	{"refusal", `{"id":"msg_5","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't."},"finish_reason":"stop"}]}`,
		`{"id":"msg_5","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"I can't."}],"stop_reason":"refusal","stop_sequence":null,
		"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}`},
}

func hubCompletion(t *testing.T, s string) *hub.ChatCompletion {
	t.Helper()
	var c hub.ChatCompletion
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

func TestNewMessage(t *testing.T) {
	for _, tc := range completions {
		t.Run(tc.name, func(t *testing.T) {
			out, err := json.Marshal(newMessage(hubCompletion(t, tc.hub), true))
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, string(out), tc.want)
		})
	}
}

func TestNewMessageHidesThinking(t *testing.T) {
	m := newMessage(hubCompletion(t, completions[1].hub), false)
	if len(m.Content) != 3 || m.Content[0].Type != "text" {
		t.Errorf("content %+v, want text and two tool_use blocks", m.Content)
	}
}

func TestErrorTypes(t *testing.T) {
	for status, want := range map[int]string{400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
		404: "not_found_error", 405: "invalid_request_error", 413: "request_too_large", 429: "rate_limit_error", 500: "api_error",
		502: "api_error", 503: "overloaded_error", 504: "timeout_error", 529: "overloaded_error"} {
		out, _ := json.Marshal(newError(status, "m", "req_1"))
		sameJSON(t, string(out), `{"type":"error","error":{"type":"`+want+`","message":"m"},"request_id":"req_1"}`)
	}
}
