package coherev2_test

import (
	"testing"

	"github.com/ociai/ociai-proxy/internal/jsontest"
	"github.com/ociai/ociai-proxy/oci/coherev2"
	"github.com/ociai/ociai-proxy/oci/core"
)

func TestCompletion(t *testing.T) {
	gen := core.CohereCallID(1, "now", "{}")
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
			c, err := coherev2.Completion([]byte(tt.in), "c", "", 5)
			if err != nil {
				t.Fatal(err)
			}
			jsontest.Assert(t, c, tt.want)
		})
	}
}
