package translator

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestCompletionFromCohere(t *testing.T) {
	id0 := cohereCallID(0, "get_weather", `{"city":"Munich"}`)
	id1 := cohereCallID(1, "get_time", `{}`)
	tests := []struct{ name, in, want string }{
		{
			name: "text",
			in: `{"modelId":"cohere.command-r-08-2024","modelVersion":"1.0","chatResponse":{"apiFormat":"COHERE","text":"Hi there",
				"chatHistory":[{"role":"USER","message":"Say hi."},{"role":"CHATBOT","message":"Hi there"}],"finishReason":"COMPLETE",
				"usage":{"completionTokens":2,"promptTokens":6,"totalTokens":8}}}`,
			want: `{"id":"chatcmpl-1","object":"chat.completion","created":42,"model":"cohere.command-r-08-2024",
				"choices":[{"index":0,"message":{"role":"assistant","content":"Hi there","refusal":null},"finish_reason":"stop","logprobs":null}],
				"usage":{"prompt_tokens":6,"completion_tokens":2,"total_tokens":8}}`,
		},
		{
			name: "tool calls: stable ids, compact arguments, finish forced to tool_calls",
			in: `{"modelId":"m","chatResponse":{"apiFormat":"COHERE","text":"","finishReason":"COMPLETE",
				"toolCalls":[{"name":"get_weather","parameters":{ "city" : "Munich" }},{"name":"get_time","parameters":null}]}}`,
			want: `{"id":"chatcmpl-1","object":"chat.completion","created":42,"model":"m",
				"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,"tool_calls":[
					{"id":"` + id0 + `","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Munich\"}"}},
					{"id":"` + id1 + `","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
				"finish_reason":"tool_calls","logprobs":null}],
				"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
		},
		{
			name: "text alongside tool calls, MAX_TOKENS",
			in:   `{"chatResponse":{"text":"plan","finishReason":"MAX_TOKENS","toolCalls":[{"name":"get_time","parameters":{}}],"usage":{"promptTokens":1,"completionTokens":2}}}`,
			want: `{"id":"chatcmpl-1","object":"chat.completion","created":42,"model":"",
				"choices":[{"index":0,"message":{"role":"assistant","content":"plan","refusal":null,"tool_calls":[
					{"id":"` + cohereCallID(0, "get_time", "{}") + `","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
				"finish_reason":"length","logprobs":null}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}`,
		},
		{
			name: "ERROR_TOXIC",
			in:   `{"chatResponse":{"apiFormat":"COHERE","text":"","finishReason":"ERROR_TOXIC"}}`,
			want: `{"id":"chatcmpl-1","object":"chat.completion","created":42,"model":"",
				"choices":[{"index":0,"message":{"role":"assistant","content":"","refusal":null},"finish_reason":"content_filter","logprobs":null}],
				"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := CompletionFromCohere([]byte(tt.in), "chatcmpl-1", "", 42)
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, c, tt.want)
		})
	}
	c, _ := CompletionFromCohere([]byte(tests[0].in), "x", "alias", 1)
	if c.Model != "alias" {
		t.Errorf("model = %q", c.Model)
	}
}

func TestCohereFinishReasons(t *testing.T) {
	for oci, want := range map[string]string{"COMPLETE": "stop", "MAX_TOKENS": "length", "ERROR_TOXIC": "content_filter",
		"ERROR_LIMIT": "length", "ERROR": "stop", "USER_CANCEL": "stop", "STOP_SEQUENCE": "stop", "TOOL_CALL": "tool_calls"} {
		if got := FinishReason(oci); got != want {
			t.Errorf("FinishReason(%s) = %s, want %s", oci, got, want)
		}
	}
}

func TestCompletionFromCohereErrors(t *testing.T) {
	_, err := CompletionFromCohere([]byte(`{"code":"InvalidParameter","message":"bad"}`), "x", "", 1)
	var ue *UpstreamError
	if !errors.As(err, &ue) || ue.Code != "InvalidParameter" || ue.Message != "bad" {
		t.Errorf("error body: %v", err)
	}
	for _, in := range []string{`not json`, `{}`, `{"chatResponse":{"apiFormat":"GENERIC"}}`, `[]`} {
		if _, err := CompletionFromCohere([]byte(in), "x", "", 1); err == nil || errors.As(err, &ue) {
			t.Errorf("%s: err = %v", in, err)
		}
	}
	_, err = CompletionFromCohereV2([]byte(`{"code":404,"message":"nope"}`), "x", "", 1)
	if !errors.As(err, &ue) || ue.Code != "404" {
		t.Errorf("V2 error body: %v", err)
	}
	for _, in := range []string{`not json`, `{}`, `{"chatResponse":{"apiFormat":"COHERE"}}`} {
		if _, err := CompletionFromCohereV2([]byte(in), "x", "", 1); err == nil || errors.As(err, &ue) {
			t.Errorf("V2 %s: err = %v", in, err)
		}
	}
}

func TestCohereCallIDStable(t *testing.T) {
	a := cohereCallID(0, "f", `{"b":1,"a":[1,2]}`)
	if a != cohereCallID(0, "f", `{ "a": [1, 2], "b": 1 }`) {
		t.Error("id depends on key order or whitespace")
	}
	if !strings.HasPrefix(a, "call_") || len(a) != 5+24 {
		t.Errorf("id %q", a)
	}
	for _, other := range []string{cohereCallID(1, "f", `{"a":[1,2],"b":1}`), cohereCallID(0, "g", `{"a":[1,2],"b":1}`), cohereCallID(0, "f", `{"a":[1,2],"b":2}`)} {
		if other == a {
			t.Error("distinct calls share an id")
		}
	}
	// litellm's scheme: sha256("0|f|{}")[:24]
	if got := cohereCallID(0, "f", "{}"); got != "call_0f4ae429a67142b88187d5ee" {
		t.Errorf("cohereCallID(0,f,{}) = %s", got)
	}
}

// TestCohereToolCallRoundTrip: the ids a response gets resolve back to the
// right calls when the client sends the conversation back.
func TestCohereToolCallRoundTrip(t *testing.T) {
	c, err := CompletionFromCohere([]byte(`{"chatResponse":{"text":"","finishReason":"COMPLETE","toolCalls":[
		{"name":"get_weather","parameters":{"city":"Paris"}},{"name":"get_weather","parameters":{"city":"Rome"}},{"name":"get_weather","parameters":{"city":"Paris"}}]}}`), "x", "m", 1)
	if err != nil {
		t.Fatal(err)
	}
	calls := c.Choices[0].Message.ToolCalls
	if calls[0].ID == calls[2].ID {
		t.Fatal("identical calls at different positions share an id")
	}
	msgs := []any{
		map[string]any{"role": "user", "content": "weather?"},
		map[string]any{"role": "assistant", "content": nil, "tool_calls": calls},
		map[string]any{"role": "tool", "tool_call_id": calls[1].ID, "content": "rome: 25"},
		map[string]any{"role": "tool", "tool_call_id": calls[0].ID, "content": "paris: 20"},
		map[string]any{"role": "tool", "tool_call_id": calls[2].ID, "content": "paris again: 20"},
	}
	b, _ := json.Marshal(map[string]any{"model": "m", "messages": msgs})
	d, _, err := CohereChat(decodeRequest(t, string(b)), commandR)
	if err != nil {
		t.Fatal(err)
	}
	req := d.ChatRequest.(*CohereChatRequest)
	assertJSON(t, req.ToolResults, `[
		{"call":{"name":"get_weather","parameters":{"city":"Rome"}},"outputs":[{"result":"rome: 25"}]},
		{"call":{"name":"get_weather","parameters":{"city":"Paris"}},"outputs":[{"result":"paris: 20"}]},
		{"call":{"name":"get_weather","parameters":{"city":"Paris"}},"outputs":[{"result":"paris again: 20"}]}]`)
}

func TestCompletionFromCohereV2(t *testing.T) {
	gen := cohereCallID(1, "now", "{}")
	tests := []struct{ name, in, want string }{
		{
			name: "text and thinking",
			in: `{"modelId":"cohere.command-a-reasoning-08-2025","chatResponse":{"apiFormat":"COHEREV2","id":"a-b","message":{"role":"ASSISTANT","content":[
				{"type":"THINKING","thinking":"Hmm."},{"type":"TEXT","text":"Hello "},{"type":"TEXT","text":"world"}]},"finishReason":"COMPLETE",
				"usage":{"completionTokens":3,"promptTokens":4,"totalTokens":7}}}`,
			want: `{"id":"c","object":"chat.completion","created":5,"model":"cohere.command-a-reasoning-08-2025",
				"choices":[{"index":0,"message":{"role":"assistant","content":"Hello world","reasoning_content":"Hmm.","refusal":null},"finish_reason":"stop","logprobs":null}],
				"usage":{"prompt_tokens":4,"completion_tokens":3,"total_tokens":7}}`,
		},
		{
			name: "tool calls keep ids, missing id generated, object arguments tolerated, toolPlan as reasoning",
			in: `{"chatResponse":{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","toolPlan":"I will look.","toolCalls":[
				{"id":"call_x","type":"FUNCTION","function":{"name":"lookup","arguments":"{\"q\":\"cats\"}"}},
				{"type":"FUNCTION","function":{"name":"now","arguments":{}}},
				{"type":"FUNCTION","function":{}}]},"finishReason":"TOOL_CALL"}}`,
			want: `{"id":"c","object":"chat.completion","created":5,"model":"",
				"choices":[{"index":0,"message":{"role":"assistant","content":null,"reasoning_content":"I will look.","refusal":null,"tool_calls":[
					{"id":"call_x","type":"function","function":{"name":"lookup","arguments":"{\"q\":\"cats\"}"}},
					{"id":"` + gen + `","type":"function","function":{"name":"now","arguments":"{}"}}]},
				"finish_reason":"tool_calls","logprobs":null}],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
		},
		{
			name: "STOP_SEQUENCE, no message",
			in:   `{"chatResponse":{"apiFormat":"COHEREV2","finishReason":"STOP_SEQUENCE"}}`,
			want: `{"id":"c","object":"chat.completion","created":5,"model":"",
				"choices":[{"index":0,"message":{"role":"assistant","content":"","refusal":null},"finish_reason":"stop","logprobs":null}],
				"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
		},
		{
			name: "MAX_TOKENS",
			in:   `{"chatResponse":{"message":{"content":[{"type":"TEXT","text":"Hel"}]},"finishReason":"MAX_TOKENS"}}`,
			want: `{"id":"c","object":"chat.completion","created":5,"model":"",
				"choices":[{"index":0,"message":{"role":"assistant","content":"Hel","refusal":null},"finish_reason":"length","logprobs":null}],
				"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := CompletionFromCohereV2([]byte(tt.in), "c", "", 5)
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, c, tt.want)
		})
	}
}
