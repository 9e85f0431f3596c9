package translator

import (
	"encoding/json"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

var cohereFuzzTargets = []Target{commandR, {ModelID: "ocid1.generativeaiendpoint.x", Dedicated: true}}

func fuzzCohereRequest(f *testing.F, translate func(*hub.ChatRequest, Target) (*ChatDetails, []string, error)) {
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
	f.Add([]byte(`{"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"u","detail":"low"}}]},
		{"role":"assistant","content":null,"tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}}]},
		{"role":"tool","tool_call_id":"a","content":"[{\"r\":1}]"},{"role":"user","content":"again"},{"role":"assistant","tool_calls":[{"id":"b","function":{"name":"f"}}]},
		{"role":"tool","tool_call_id":"b","content":"{}"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{
		"a":{"type":"array","items":{"$ref":"#/$defs/X"}},"b":{"anyOf":[{"type":"string"},{"type":"null"}]},"c":{"enum":[1,"x"]},"d":{"type":["integer","null"]}},
		"required":["a"],"$defs":{"X":{"type":"object","properties":{"y":{"type":"string"}}}}}}}],"tool_choice":"auto",
		"stop":["x"],"n":1,"temperature":1,"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{}}},
		"reasoning_effort":"low","stream":true,"stream_options":{"include_usage":true},"logprobs":true,"top_logprobs":2,"user":"u"}`))
	f.Add([]byte(`{"messages":[{"role":"assistant"}],"tool_choice":{"type":"function","function":{"name":"f"}},"tools":[{"function":{"name":"f","parameters":{"$ref":"#/$defs/A"}}}]}`))
	f.Add([]byte(`{"messages":[{"role":"user","content":"x"}],"tools":[{"function":{"name":"f","parameters":{"properties":{"p":{"$ref":"#/$defs/L"}},"$defs":{"L":{"anyOf":[{"$ref":"#/$defs/L"}]}}}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) { checkTranslation(t, data, translate, cohereFuzzTargets) })
}

func FuzzCohereChat(f *testing.F)   { fuzzCohereRequest(f, CohereChat) }
func FuzzCohereV2Chat(f *testing.F) { fuzzCohereRequest(f, CohereV2Chat) }

func fuzzCohereStream(f *testing.F, cases []streamCase, mk func(includeUsage bool) chunkStream) {
	for _, tc := range cases {
		f.Add([]byte(joinEvents(tc.events)), tc.includeUsage)
	}
	f.Add([]byte(`{"code":1,"message":{}}`+"\n"+`{"text":"a","toolCalls":[{"name":"","parameters":null}],"finishReason":"X"}`+"\n"+`{"usage":{}}`), true)
	f.Add([]byte(`{"message":{"toolCalls":[{"function":{"arguments":"x"}},{"id":"a"},{"name":"n","function":{"arguments":"{"}}]}}`), true)
	f.Fuzz(func(t *testing.T, data []byte, includeUsage bool) {
		chunks := feedStream(t, mk(includeUsage), data)
		finished := false
		for i, c := range chunks {
			if len(c.Choices) == 0 {
				if !includeUsage || i != len(chunks)-1 {
					t.Fatalf("stray usage chunk %d", i)
				}
				continue
			}
			if finished {
				t.Fatalf("chunk %d after the finish chunk", i)
			}
			ch := c.Choices[0]
			if ch.Index != 0 || len(c.Choices) != 1 {
				t.Fatalf("chunk %d: choices %+v", i, c.Choices)
			}
			if len(ch.Delta.ToolCalls) > 1 {
				t.Fatalf("chunk %d carries %d tool calls", i, len(ch.Delta.ToolCalls))
			}
			finished = ch.FinishReason != nil
		}
		if !finished {
			t.Fatal("no finish chunk")
		}
	})
}

func FuzzCohereStream(f *testing.F) {
	fuzzCohereStream(f, cohereStreamCases, func(u bool) chunkStream { return NewCohereStream(streamID, "m", 1, u) })
}

func FuzzCohereV2Stream(f *testing.F) {
	fuzzCohereStream(f, cohereV2StreamCases, func(u bool) chunkStream { return NewCohereV2Stream(streamID, "m", 1, u) })
}

func FuzzCompletionFromCohere(f *testing.F) {
	f.Add([]byte(`{"chatResponse":{"text":"x","finishReason":"COMPLETE","toolCalls":[{"name":"f","parameters":{"a":1}},{"name":"g"}],"usage":{"promptTokens":1}}}`))
	f.Add([]byte(`{"chatResponse":{"apiFormat":"COHEREV2","message":{"content":[{"type":"THINKING","thinking":"t"},{"type":"TEXT","text":"x"}],
		"toolCalls":[{"function":{"name":"f","arguments":{"a":1}}},{"id":"x","function":{"arguments":"\"s\""}}]},"finishReason":"TOOL_CALL"}}`))
	f.Add([]byte(`{"code":"x","message":"y"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, conv := range []func([]byte, string, string, int64) (*hub.ChatCompletion, error){CompletionFromCohere, CompletionFromCohereV2} {
			c, err := conv(data, "id", "m", 1)
			if err != nil {
				continue
			}
			for _, tc := range c.Choices[0].Message.ToolCalls {
				if tc.ID == "" || tc.Function.Arguments == "" {
					t.Fatalf("tool call without id or arguments: %+v", tc)
				}
			}
			if _, err := json.Marshal(c); err != nil {
				t.Fatalf("marshal: %v", err)
			}
			if _, err := json.Marshal(hub.ChunksFromCompletion(c, true)); err != nil {
				t.Fatalf("marshal chunks: %v", err)
			}
		}
	})
}
