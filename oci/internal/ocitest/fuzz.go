package ocitest

import (
	"testing"

	"github.com/ociai/ociai-proxy/oci/core"
)

// FuzzCohere fuzzes a Cohere format's request translation from seeds that exercise the conversation split, tool
// results and JSON schemas.
func FuzzCohere(f *testing.F, translate Translate) {
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
	targets := []core.Target{Target("cohere.command-r-08-2024"), {ModelID: "ocid1.generativeaiendpoint.x", Dedicated: true}}
	f.Fuzz(func(t *testing.T, data []byte) { CheckTranslation(t, data, translate, targets) })
}

// FuzzCohereStream fuzzes a Cohere format's stream from the cases' events and seeds of odd shapes; the chunks must
// keep CheckOneChoice's rules.
func FuzzCohereStream(f *testing.F, cases []StreamCase, newStream func(includeUsage bool) core.Stream) {
	for _, tc := range cases {
		f.Add([]byte(JoinEvents(tc.Events)), tc.IncludeUsage)
	}
	f.Add([]byte(`{"code":1,"message":{}}`+"\n"+`{"text":"a","toolCalls":[{"name":"","parameters":null}],"finishReason":"X"}`+"\n"+`{"usage":{}}`), true)
	f.Add([]byte(`{"message":{"toolCalls":[{"function":{"arguments":"x"}},{"id":"a"},{"name":"n","function":{"arguments":"{"}}]}}`), true)
	f.Fuzz(func(t *testing.T, data []byte, includeUsage bool) {
		CheckOneChoice(t, FeedStream(t, newStream(includeUsage), data), includeUsage)
	})
}
