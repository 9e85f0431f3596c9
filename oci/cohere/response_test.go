package cohere_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/ociai/ociai-proxy/internal/jsontest"
	"github.com/ociai/ociai-proxy/oci/cohere"
	"github.com/ociai/ociai-proxy/oci/coherev2"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

func TestCompletion(t *testing.T) {
	id0 := core.CohereCallID(0, "get_weather", `{"city":"Munich"}`)
	id1 := core.CohereCallID(1, "get_time", `{}`)
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
					{"id":"` + core.CohereCallID(0, "get_time", "{}") + `","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
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
			c, err := cohere.Completion([]byte(tt.in), "chatcmpl-1", "", 42)
			if err != nil {
				t.Fatal(err)
			}
			jsontest.Assert(t, c, tt.want)
		})
	}
	c, _ := cohere.Completion([]byte(tests[0].in), "x", "alias", 1)
	if c.Model != "alias" {
		t.Errorf("model = %q", c.Model)
	}
}

func TestFinishReasons(t *testing.T) {
	for oci, want := range map[string]string{"COMPLETE": "stop", "MAX_TOKENS": "length", "ERROR_TOXIC": "content_filter",
		"ERROR_LIMIT": "length", "ERROR": "stop", "USER_CANCEL": "stop", "STOP_SEQUENCE": "stop", "TOOL_CALL": "tool_calls"} {
		if got := core.FinishReason(oci); got != want {
			t.Errorf("core.FinishReason(%s) = %s, want %s", oci, got, want)
		}
	}
}

func TestCompletionErrors(t *testing.T) {
	_, err := cohere.Completion([]byte(`{"code":"InvalidParameter","message":"bad"}`), "x", "", 1)
	var ue *core.UpstreamError
	if !errors.As(err, &ue) || ue.Code != "InvalidParameter" || ue.Message != "bad" {
		t.Errorf("error body: %v", err)
	}
	for _, in := range []string{`not json`, `{}`, `{"chatResponse":{"apiFormat":"GENERIC"}}`, `[]`} {
		if _, err := cohere.Completion([]byte(in), "x", "", 1); err == nil || errors.As(err, &ue) {
			t.Errorf("%s: err = %v", in, err)
		}
	}
	_, err = coherev2.Completion([]byte(`{"code":404,"message":"nope"}`), "x", "", 1)
	if !errors.As(err, &ue) || ue.Code != "404" {
		t.Errorf("V2 error body: %v", err)
	}
	for _, in := range []string{`not json`, `{}`, `{"chatResponse":{"apiFormat":"COHERE"}}`} {
		if _, err := coherev2.Completion([]byte(in), "x", "", 1); err == nil || errors.As(err, &ue) {
			t.Errorf("V2 %s: err = %v", in, err)
		}
	}
}

func TestToolCallRoundTrip(t *testing.T) {
	c, err := cohere.Completion([]byte(`{"chatResponse":{"text":"","finishReason":"COMPLETE","toolCalls":[
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
	d, _, err := cohere.Request(ocitest.Request(t, string(b)), commandR)
	if err != nil {
		t.Fatal(err)
	}
	req := d.ChatRequest.(*cohere.ChatRequest)
	jsontest.Assert(t, req.ToolResults, `[
		{"call":{"name":"get_weather","parameters":{"city":"Rome"}},"outputs":[{"result":"rome: 25"}]},
		{"call":{"name":"get_weather","parameters":{"city":"Paris"}},"outputs":[{"result":"paris: 20"}]},
		{"call":{"name":"get_weather","parameters":{"city":"Paris"}},"outputs":[{"result":"paris again: 20"}]}]`)
}
