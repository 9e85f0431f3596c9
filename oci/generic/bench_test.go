package generic_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/generic"
)

var benchRequest = []byte(`{"model":"llama","messages":[
	{"role":"system","content":"You are a helpful assistant that answers briefly and precisely."},
	{"role":"user","content":"What's the weather in Paris and in Rome today? Answer in one sentence."},
	{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
		{"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
	{"role":"tool","tool_call_id":"call_1","content":"sunny, 21C"},
	{"role":"tool","tool_call_id":"call_2","content":"cloudy, 18C"}],
	"tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
		"parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name"}},"required":["city"]}}}],
	"tool_choice":"auto","temperature":0.2,"max_tokens":256,"stream":true,"stream_options":{"include_usage":true}}`)

var benchResult = []byte(`{"modelId":"meta.llama-3.3-70b-instruct","modelVersion":"1.0.0","chatResponse":{"apiFormat":"GENERIC","timeCreated":"2025-01-01T00:00:00.000Z",
	"choices":[{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"It is sunny and 21C in Paris, and cloudy and 18C in Rome."}],"toolCalls":[]},"finishReason":"stop"}],
	"usage":{"promptTokens":145,"completionTokens":18,"totalTokens":163}}}`)

// BenchmarkRequest covers what the gateway does per request: decode the
// OpenAI body, translate, encode the OCI body.
func BenchmarkRequest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var req hub.ChatRequest
		if err := json.Unmarshal(benchRequest, &req); err != nil {
			b.Fatal(err)
		}
		d, _, err := generic.Request(&req, llama)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTranslate(b *testing.B) {
	var req hub.ChatRequest
	if err := json.Unmarshal(benchRequest, &req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := generic.Request(&req, llama); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResponse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var r generic.ChatResult
		if err := json.Unmarshal(benchResult, &r); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(generic.Completion(&r, "chatcmpl-1", "llama", 1)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStream(b *testing.B) {
	var events [][]byte
	for i := 0; i < 50; i++ {
		events = append(events, []byte(`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":" word"}]},"pad":"aaaaaaaaaa"}`))
	}
	events = append(events,
		[]byte(`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"chatcmpl-tool-1","name":"get_weather"}]},"pad":"aa"}`),
		[]byte(`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":"{\"city\": \"Paris\"}"}]},"pad":"aa"}`),
		[]byte(`{"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":""}]},"finishReason":"stop","pad":"aaa"}`),
		[]byte(`{"usage":{"completionTokens":60,"promptTokens":41,"totalTokens":101},"pad":"aaaa"}`))
	b.ReportAllocs()
	b.SetBytes(int64(len(strings.Join(func() []string {
		var s []string
		for _, e := range events {
			s = append(s, string(e))
		}
		return s
	}(), ""))))
	for b.Loop() {
		s := generic.NewStream("chatcmpl-1", "llama", 1, true)
		s.Start()
		for _, e := range events {
			if _, err := s.Event(e); err != nil {
				b.Fatal(err)
			}
		}
		s.Close()
	}
}
