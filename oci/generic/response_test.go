package generic_test

import (
	"encoding/json"
	"testing"

	"github.com/ociai/ociai-proxy/internal/jsontest"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/generic"
)

func decodeResult(t testing.TB, in string) *generic.ChatResult {
	t.Helper()
	var r generic.ChatResult
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatalf("decode result: %v", err)
	}
	return &r
}

func TestCompletion(t *testing.T) {
	const head = `"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"llama"`
	tests := []struct{ name, in, want string }{
		{
			name: "text with usage details",
			in: `{"modelId":"meta.llama-3.3-70b-instruct","modelVersion":"1.0.0","chatResponse":{"apiFormat":"GENERIC","timeCreated":"2025-01-01T00:00:00.000Z",
				"choices":[{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hello"}],"toolCalls":[]},"finishReason":"stop"}],
				"usage":{"promptTokens":45,"completionTokens":8,"totalTokens":53,"completionTokensDetails":{"reasoningTokens":3},"promptTokensDetails":{"cachedTokens":10}}}}`,
			want: `{` + head + `,"choices":[{"index":0,"message":{"role":"assistant","content":"Hello","refusal":null},"finish_reason":"stop","logprobs":null}],
				"usage":{"prompt_tokens":45,"completion_tokens":8,"total_tokens":53,"prompt_tokens_details":{"cached_tokens":10},"completion_tokens_details":{"reasoning_tokens":3}}}`,
		},
		{
			name: "several text parts, total computed, no details",
			in: `{"chatResponse":{"apiFormat":"GENERIC","choices":[{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hel"},{"type":"TEXT","text":"lo"}]},"finishReason":"length"}],
				"usage":{"promptTokens":4,"completionTokens":2}}}`,
			want: `{` + head + `,"choices":[{"index":0,"message":{"role":"assistant","content":"Hello","refusal":null},"finish_reason":"length","logprobs":null}],
				"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}`,
		},
		{
			name: "absent message, absent usage",
			in:   `{"chatResponse":{"apiFormat":"GENERIC","choices":[{"index":0,"finishReason":"length"}]}}`,
			want: `{` + head + `,"choices":[{"index":0,"message":{"role":"assistant","content":"","refusal":null},"finish_reason":"length","logprobs":null}],
				"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
		},
		{
			name: "message without content",
			in:   `{"chatResponse":{"apiFormat":"GENERIC","choices":[{"index":0,"message":{"role":"ASSISTANT"},"finishReason":"stop"}]}}`,
			want: `{` + head + `,"choices":[{"index":0,"message":{"role":"assistant","content":"","refusal":null},"finish_reason":"stop","logprobs":null}],
				"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
		},
		{
			name: "tool calls: Llama stop becomes tool_calls, missing id synthesized, nested shape, empty arguments",
			in: `{"chatResponse":{"apiFormat":"GENERIC","choices":[{"index":0,"message":{"role":"ASSISTANT","toolCalls":[
				{"type":"FUNCTION","id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
				{"type":"FUNCTION","name":"now","arguments":""},
				{"type":"FUNCTION","id":"call_3","function":{"name":"nested","arguments":"{\"a\":1}"}}]},"finishReason":"stop"}],
				"usage":{"promptTokens":1,"completionTokens":2,"totalTokens":3}}}`,
			want: `{` + head + `,"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,"tool_calls":[
				{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
				{"id":"` + core.SyntheticCallID("chatcmpl-1", 0, 1) + `","type":"function","function":{"name":"now","arguments":"{}"}},
				{"id":"call_3","type":"function","function":{"name":"nested","arguments":"{\"a\":1}"}}]},
				"finish_reason":"tool_calls","logprobs":null}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}`,
		},
		{
			name: "text plus tool call, finish tool_calls kept; length kept despite tool calls",
			in: `{"chatResponse":{"apiFormat":"GENERIC","choices":[
				{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Let me check."}],"toolCalls":[{"type":"FUNCTION","id":"c","name":"f","arguments":"{}"}]},"finishReason":"tool_calls"},
				{"index":1,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"d","name":"f","arguments":"{\"x\":"}]},"finishReason":"length"}]}}`,
			want: `{` + head + `,"choices":[
				{"index":0,"message":{"role":"assistant","content":"Let me check.","refusal":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls","logprobs":null},
				{"index":1,"message":{"role":"assistant","content":null,"refusal":null,"tool_calls":[{"id":"d","type":"function","function":{"name":"f","arguments":"{\"x\":"}}]},"finish_reason":"length","logprobs":null}],
				"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
		},
		{
			name: "reasoning, refusal, annotations, service tier",
			in: `{"chatResponse":{"apiFormat":"GENERIC","serviceTier":"DEFAULT","choices":[{"index":0,"message":{"role":"ASSISTANT",
				"content":[{"type":"TEXT","text":"See [1]."}],"reasoningContent":"thinking…","refusal":null,
				"annotations":[{"type":"url_citation","urlCitation":{"startIndex":4,"endIndex":7,"title":"T","url":"https://e.x"}}]},"finishReason":"stop"}]}}`,
			want: `{` + head + `,"service_tier":"default","choices":[{"index":0,"message":{"role":"assistant","content":"See [1].","reasoning_content":"thinking…","refusal":null,
				"annotations":[{"type":"url_citation","url_citation":{"start_index":4,"end_index":7,"title":"T","url":"https://e.x"}}]},"finish_reason":"stop","logprobs":null}],
				"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
		},
		{
			name: "refusal only: content null",
			in:   `{"chatResponse":{"apiFormat":"GENERIC","choices":[{"index":0,"message":{"role":"ASSISTANT","refusal":"I can't."},"finishReason":"content_filter"}]}}`,
			want: `{` + head + `,"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't."},"finish_reason":"content_filter","logprobs":null}],
				"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
		},
		{
			name: "logprobs with numeric and string top values",
			in: `{"chatResponse":{"apiFormat":"GENERIC","choices":[{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi!"}]},"finishReason":"stop",
				"logprobs":{"textOffset":[0,2],"tokenLogprobs":[-0.1,-0.5],"tokens":["Hi","!"],"topLogprobs":[{"Hi":-0.1,"Hey":-2.5},{"!":"-0.5",".":"-1","x":"bad"}]}}]}}`,
			want: `{` + head + `,"choices":[{"index":0,"message":{"role":"assistant","content":"Hi!","refusal":null},"finish_reason":"stop","logprobs":{"content":[
				{"token":"Hi","logprob":-0.1,"bytes":[72,105],"top_logprobs":[{"token":"Hi","logprob":-0.1,"bytes":[72,105]},{"token":"Hey","logprob":-2.5,"bytes":[72,101,121]}]},
				{"token":"!","logprob":-0.5,"bytes":[33],"top_logprobs":[{"token":"x","logprob":0,"bytes":[120]},{"token":"!","logprob":-0.5,"bytes":[33]},{"token":".","logprob":-1,"bytes":[46]}]}],"refusal":null}}],
				"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
		},
		{
			name: "no choices",
			in:   `{"chatResponse":{"apiFormat":"GENERIC","choices":[]}}`,
			want: `{` + head + `,"choices":[],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := generic.Completion(decodeResult(t, tt.in), "chatcmpl-1", "llama", 1700000000)
			jsontest.Assert(t, c, tt.want)
		})
	}
}

func TestCompletionModelFallback(t *testing.T) {
	c := generic.Completion(decodeResult(t, `{"modelId":"xai.grok-4","chatResponse":{"choices":[]}}`), "id", "", 1)
	if c.Model != "xai.grok-4" {
		t.Errorf("model = %q", c.Model)
	}
	if c := generic.Completion(nil, "id", "m", 1); c == nil || c.Choices == nil || c.Usage == nil {
		t.Errorf("nil result: %+v", c)
	}
}
