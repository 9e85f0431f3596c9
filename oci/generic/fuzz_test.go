package generic_test

import (
	"encoding/json"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/generic"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

func FuzzRequest(f *testing.F) {
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"u","detail":"low"}}]},
		{"role":"assistant","content":null,"tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}}]},
		{"role":"tool","tool_call_id":"a","content":"r"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"f"}},
		"stop":["x"],"n":2,"temperature":1,"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{},"strict":true}},
		"reasoning_effort":"low","stream":true,"stream_options":{"include_usage":true},"logprobs":true,"top_logprobs":2,"prediction":{"type":"content","content":"p"},
		"web_search_options":{"user_location":{"approximate":{"city":"c"}}},"user":"u"}`))
	f.Add([]byte(`{"messages":[{"role":"bogus"}],"tool_choice":"required","max_tokens":-1}`))
	f.Add([]byte(`{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x"}},{"type":"file","file":{"file_data":"y"}}]}],
		"tools":[{"type":"function","function":{"name":"a"}}],"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{"name":"a"}}]}}}`))
	targets := []core.Target{llama, {ModelID: "openai.gpt-5", DefaultMaxTokens: 10}, {ModelID: "ocid1.generativeaiendpoint.x", Dedicated: true}}
	f.Fuzz(func(t *testing.T, data []byte) { ocitest.CheckTranslation(t, data, generic.Request, targets) })
}

func FuzzStream(f *testing.F) {
	for _, tc := range streamCases {
		f.Add([]byte(ocitest.JoinEvents(tc.Events)), tc.IncludeUsage)
	}
	f.Add([]byte(`{"index":-3,"message":{"toolCalls":[{"arguments":"x"},{"id":"a"},{"name":"n","function":{"arguments":"{"}}]}}`), true)
	f.Fuzz(func(t *testing.T, data []byte, includeUsage bool) {
		chunks := ocitest.FeedStream(t, generic.NewStream(ocitest.StreamID, "m", 1700000000, includeUsage), data)
		// Exactly one finish chunk per choice, nothing after it, usage last.
		finished := map[int]bool{}
		for i, c := range chunks {
			if len(c.Choices) == 0 {
				if !includeUsage || i != len(chunks)-1 {
					t.Fatalf("stray usage chunk %d", i)
				}
				continue
			}
			ch := c.Choices[0]
			if finished[ch.Index] {
				t.Fatalf("chunk after finish for choice %d", ch.Index)
			}
			if ch.FinishReason != nil {
				finished[ch.Index] = true
			}
		}
		for _, c := range chunks {
			for _, ch := range c.Choices {
				if !finished[ch.Index] {
					t.Fatalf("choice %d never finished", ch.Index)
				}
			}
		}
	})
}

func FuzzCompletion(f *testing.F) {
	f.Add([]byte(`{"chatResponse":{"choices":[{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"x"}],"toolCalls":[{"name":"f"}]},"finishReason":"stop",
		"logprobs":{"tokens":["x"],"topLogprobs":[{"x":"-1"}]}}],"usage":{"promptTokens":1}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r generic.ChatResult
		if json.Unmarshal(data, &r) != nil {
			return
		}
		c := generic.Completion(&r, "id", "m", 1)
		if _, err := json.Marshal(c); err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if _, err := json.Marshal(hub.ChunksFromCompletion(c, true)); err != nil {
			t.Fatalf("marshal chunks: %v", err)
		}
	})
}
