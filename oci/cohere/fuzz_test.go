package cohere_test

import (
	"testing"

	"github.com/ociai/ociai-proxy/oci/cohere"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

func FuzzRequest(f *testing.F) {
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
	targets := []core.Target{ocitest.Target("cohere.command-r-08-2024"), {ModelID: "ocid1.generativeaiendpoint.x", Dedicated: true}}
	f.Fuzz(func(t *testing.T, data []byte) { ocitest.CheckTranslation(t, data, cohere.Request, targets) })
}

func FuzzStream(f *testing.F) {
	for _, tc := range cohereStreamCases {
		f.Add([]byte(ocitest.JoinEvents(tc.Events)), tc.IncludeUsage)
	}
	f.Add([]byte(`{"code":1,"message":{}}`+"\n"+`{"text":"a","toolCalls":[{"name":"","parameters":null}],"finishReason":"X"}`+"\n"+`{"usage":{}}`), true)
	f.Add([]byte(`{"message":{"toolCalls":[{"function":{"arguments":"x"}},{"id":"a"},{"name":"n","function":{"arguments":"{"}}]}}`), true)
	f.Fuzz(func(t *testing.T, data []byte, includeUsage bool) {
		ocitest.CheckOneChoice(t, ocitest.FeedStream(t, cohere.NewStream(ocitest.StreamID, "m", 1, includeUsage), data), includeUsage)
	})
}

func FuzzCompletion(f *testing.F) {
	f.Add([]byte(`{"chatResponse":{"text":"x","finishReason":"COMPLETE","toolCalls":[{"name":"f","parameters":{"a":1}},{"name":"g"}],"usage":{"promptTokens":1}}}`))
	f.Add([]byte(`{"code":"x","message":"y"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if c, err := cohere.Completion(data, "id", "m", 1); err == nil {
			ocitest.CheckCompletion(t, c)
		}
	})
}
