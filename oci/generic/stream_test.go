package generic_test

import (
	"errors"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/internal/jsontest"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/generic"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

// Expected-chunk shorthands (see ocitest).
var (
	role, text, reasoning, calls, fin, usage = ocitest.Role, ocitest.Text, ocitest.Reasoning, ocitest.Calls, ocitest.Fin, ocitest.Usage
)

var streamCases = []ocitest.StreamCase{
	{
		// The stream decodes every event into the same target: nothing of one event may show in the next.
		Name: "events of different shapes one after another",
		Events: []string{
			`{"index":0,"message":{"content":[{"type":"TEXT","text":"a"},{"type":"TEXT","text":"b"}]}}`,
			`{"index":0,"message":{"content":[{"type":"TEXT"},{"type":"TEXT","text":"c"}]}}`,
			`{"index":1,"message":{}}`,
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","id":"call_1","name":"f","arguments":"{"}]}}`,
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","arguments":"}"}]}}`,
			`{"index":2}`,
		},
		Want: []string{role(0), text(0, "ab"), text(0, "c"), role(1),
			calls(0, `[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{"}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"}"}}]`),
			fin(0, "tool_calls"), fin(1, "stop")},
		Content: map[int]string{0: "abc"},
		Args:    map[string]string{"0/0": "{}"},
	},
	{
		Name: "text, empty first event, bare finish, [DONE]",
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":""}]},"pad":"aaa"}`,
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hello"}]},"pad":"aaaaa"}`,
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":", world"}]},"pad":"aa"}`,
			`{"finishReason":"stop","pad":"aaaaaa"}`,
			`[DONE]`,
		},
		Want:     []string{role(0), text(0, "Hello"), text(0, ", world"), fin(0, "stop")},
		Content:  map[int]string{0: "Hello, world"},
		Finished: true,
	},
	{
		Name: "finish event with role-only message",
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]},"pad":"a"}`,
			`{"message":{"role":"ASSISTANT"},"finishReason":"stop","pad":"aaa"}`,
		},
		Want:     []string{role(0), text(0, "Hi"), fin(0, "stop")},
		Content:  map[int]string{0: "Hi"},
		Finished: true,
	},
	{
		Name: "finish event with empty text",
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]},"pad":"a"}`,
			`{"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":""}]},"finishReason":"stop","pad":"aaa"}`,
		},
		Want:     []string{role(0), text(0, "Hi"), fin(0, "stop")},
		Content:  map[int]string{0: "Hi"},
		Finished: true,
	},
	{
		Name: "finish event carrying the last text",
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hello "}]},"pad":"a"}`,
			`{"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"world"}]},"finishReason":"length","pad":"aaa"}`,
		},
		Want:     []string{role(0), text(0, "Hello "), text(0, "world"), fin(0, "length")},
		Content:  map[int]string{0: "Hello world"},
		Finished: true,
	},
	{
		Name:         "usage event after finish",
		IncludeUsage: true,
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]},"pad":"a"}`,
			`{"finishReason":"stop","pad":"aa"}`,
			`{"usage":{"completionTokens":8,"promptTokens":41,"totalTokens":49},"pad":"aaaa"}`,
		},
		Want:     []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(41, 8, 49)},
		Content:  map[int]string{0: "Hi"},
		Finished: true,
	},
	{
		Name:         "usage on the finish event",
		IncludeUsage: true,
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]}}`,
			`{"finishReason":"stop","usage":{"completionTokens":1,"promptTokens":2}}`,
		},
		Want:     []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(2, 1, 3)},
		Content:  map[int]string{0: "Hi"},
		Finished: true,
	},
	{
		Name:         "usage event wins over finish-event usage",
		IncludeUsage: true,
		Events: []string{
			`{"finishReason":"stop","usage":{"completionTokens":1,"promptTokens":2,"totalTokens":3}}`,
			`{"usage":{"completionTokens":5,"promptTokens":6,"totalTokens":11}}`,
		},
		Want:     []string{role(0), fin(0, "stop"), usage(6, 5, 11)},
		Finished: true,
	},
	{
		Name:         "usage requested but never sent: zeros",
		IncludeUsage: true,
		Events:       []string{`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]}}`, `{"finishReason":"stop"}`},
		Want:         []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(0, 0, 0)},
		Content:      map[int]string{0: "Hi"},
		Finished:     false,
	},
	{
		Name:     "usage not requested: usage event ignored",
		Events:   []string{`{"finishReason":"stop"}`, `{"usage":{"completionTokens":8,"promptTokens":41,"totalTokens":49}}`},
		Want:     []string{role(0), fin(0, "stop")},
		Finished: true,
	},
	{
		Name: "no finish event: Close finishes with stop",
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"cut"}]}}`,
		},
		Want:    []string{role(0), text(0, "cut"), fin(0, "stop")},
		Content: map[int]string{0: "cut"},
	},
	{
		Name: "reasoning deltas before content",
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","reasoningContent":"Let me"}}`,
			`{"index":0,"message":{"role":"ASSISTANT","reasoningContent":" think."}}`,
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"42"}]}}`,
			`{"finishReason":"stop"}`,
		},
		Want:     []string{role(0), reasoning(0, "Let me"), reasoning(0, " think."), text(0, "42"), fin(0, "stop")},
		Content:  map[int]string{0: "42"},
		Finished: true,
	},
	{
		Name: "reasoning and text in one event share a chunk; refusal delta",
		Events: []string{
			`{"message":{"role":"ASSISTANT","reasoningContent":"r","content":[{"type":"TEXT","text":"c"},{"type":"TEXT","text":"d"}]}}`,
			`{"message":{"role":"ASSISTANT","refusal":"no"}}`,
			`{"finishReason":"CONTENT_FILTERED"}`,
		},
		Want: []string{role(0), `{"index":0,"delta":{"reasoning_content":"r","content":"cd"},"finish_reason":null,"logprobs":null}`,
			`{"index":0,"delta":{"refusal":"no"},"finish_reason":null,"logprobs":null}`, fin(0, "content_filter")},
		Content:  map[int]string{0: "cd"},
		Finished: true,
	},
	{
		Name: "pattern A: whole calls per event (Grok)",
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"call_69943055","name":"LIST_PACKAGE_NAMES","arguments":"{\"arg0\":\"HR\"}"}]},"pad":"aa"}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"call_53265426","name":"LIST_PROCEDURE_NAMES","arguments":"{\"arg0\":\"HR\"}"}]},"pad":"a"}`,
			`{"finishReason":"tool_calls","pad":"aaaaaaaaa"}`,
		},
		Want: []string{role(0),
			calls(0, `[{"index":0,"id":"call_69943055","type":"function","function":{"name":"LIST_PACKAGE_NAMES","arguments":"{\"arg0\":\"HR\"}"}}]`),
			calls(0, `[{"index":1,"id":"call_53265426","type":"function","function":{"name":"LIST_PROCEDURE_NAMES","arguments":"{\"arg0\":\"HR\"}"}}]`),
			fin(0, "tool_calls")},
		Args:     map[string]string{"0/0": `{"arg0":"HR"}`, "0/1": `{"arg0":"HR"}`},
		Finished: true,
	},
	{
		Name: "pattern B: header then id-less fragments, trailing empty arguments on finish",
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"chatcmpl-tool-e5f86a029","name":"sqrt"}]},"pad":"x"}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":"{\"arg0\": \""}]},"pad":"x"}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":"16\"}"}]},"pad":"x"}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"chatcmpl-tool-13ee961b3","name":"extractMagicalNumber"}]},"pad":"x"}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":"{\"arg1\": \""}]},"pad":"x"}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":"4\"}"}]},"pad":"x"}`,
			`{"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":""}]},"finishReason":"tool_calls","pad":"x"}`,
		},
		Want: []string{role(0),
			calls(0, `[{"index":0,"id":"chatcmpl-tool-e5f86a029","type":"function","function":{"name":"sqrt","arguments":""}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"{\"arg0\": \""}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"16\"}"}}]`),
			calls(0, `[{"index":1,"id":"chatcmpl-tool-13ee961b3","type":"function","function":{"name":"extractMagicalNumber","arguments":""}}]`),
			calls(0, `[{"index":1,"function":{"arguments":"{\"arg1\": \""}}]`),
			calls(0, `[{"index":1,"function":{"arguments":"4\"}"}}]`),
			fin(0, "tool_calls")},
		Args:     map[string]string{"0/0": `{"arg0": "16"}`, "0/1": `{"arg1": "4"}`},
		Finished: true,
	},
	{
		Name: "Llama reports stop despite tool calls",
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"t1","name":"f"}]}}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":"{}"}]}}`,
			`{"finishReason":"stop"}`,
		},
		Want: []string{role(0),
			calls(0, `[{"index":0,"id":"t1","type":"function","function":{"name":"f","arguments":""}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"{}"}}]`),
			fin(0, "tool_calls")},
		Args:     map[string]string{"0/0": `{}`},
		Finished: true,
	},
	{
		Name: "Gemini: no ids, parallel calls to the same function",
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","name":"get_weather","arguments":"{\"city\":\"Paris\"}"}]}}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","name":"get_weather","arguments":"{\"city\":\"Rome\"}"},{"type":"FUNCTION","name":"get_time","arguments":"{}"}]}}`,
			`{"finishReason":"stop"}`,
		},
		Want: []string{role(0),
			calls(0, `[{"index":0,"id":"`+core.SyntheticCallID(ocitest.StreamID, 0, 0)+`","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]`),
			calls(0, `[{"index":1,"id":"`+core.SyntheticCallID(ocitest.StreamID, 0, 1)+`","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}},`+
				`{"index":2,"id":"`+core.SyntheticCallID(ocitest.StreamID, 0, 2)+`","type":"function","function":{"name":"get_time","arguments":"{}"}}]`),
			fin(0, "tool_calls")},
		Args:     map[string]string{"0/0": `{"city":"Paris"}`, "0/1": `{"city":"Rome"}`, "0/2": `{}`},
		Finished: true,
	},
	{
		Name: "no id, name repeated on an unfinished call continues it",
		Events: []string{
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","name":"f","arguments":"{\"a\":"}]}}`,
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","name":"f","arguments":"1}"}]}}`,
			`{"finishReason":"tool_calls"}`,
		},
		Want: []string{role(0),
			calls(0, `[{"index":0,"id":"`+core.SyntheticCallID(ocitest.StreamID, 0, 0)+`","type":"function","function":{"name":"f","arguments":"{\"a\":"}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"1}"}}]`),
			fin(0, "tool_calls")},
		Args:     map[string]string{"0/0": `{"a":1}`},
		Finished: true,
	},
	{
		Name: "nested function shape",
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"id":"n1","type":"FUNCTION","function":{"name":"f","arguments":"{\"a\""}}]}}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","function":{"arguments":":1}"}}]}}`,
			`{"finishReason":"tool_calls"}`,
		},
		Want: []string{role(0),
			calls(0, `[{"index":0,"id":"n1","type":"function","function":{"name":"f","arguments":"{\"a\""}}]`),
			calls(0, `[{"index":0,"function":{"arguments":":1}"}}]`),
			fin(0, "tool_calls")},
		Args:     map[string]string{"0/0": `{"a":1}`},
		Finished: true,
	},
	{
		Name: "argument-less call gets {} before the finish",
		Events: []string{
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","id":"c1","name":"now"}]}}`,
			`{"finishReason":"tool_calls"}`,
		},
		Want: []string{role(0),
			calls(0, `[{"index":0,"id":"c1","type":"function","function":{"name":"now","arguments":""}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"{}"}}]`),
			fin(0, "tool_calls")},
		Args:     map[string]string{"0/0": `{}`},
		Finished: true,
	},
	{
		Name: "id repeated on fragments, name after an id-only header",
		Events: []string{
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","id":"c1"}]}}`,
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","id":"c1","name":"f","arguments":"{\"x\":"}]}}`,
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","id":"c1","arguments":"2}"}]}}`,
			`{"finishReason":"tool_calls"}`,
		},
		Want: []string{role(0),
			calls(0, `[{"index":0,"id":"c1","type":"function","function":{"arguments":""}}]`),
			calls(0, `[{"index":0,"function":{"name":"f","arguments":"{\"x\":"}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"2}"}}]`),
			fin(0, "tool_calls")},
		Args:     map[string]string{"0/0": `{"x":2}`},
		Finished: true,
	},
	{
		Name: "text then a tool call",
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Checking."}]}}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"c1","name":"f","arguments":"{}"}]}}`,
			`{"finishReason":"tool_calls"}`,
		},
		Want: []string{role(0), text(0, "Checking."),
			calls(0, `[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]`),
			fin(0, "tool_calls")},
		Content:  map[int]string{0: "Checking."},
		Args:     map[string]string{"0/0": `{}`},
		Finished: true,
	},
	{
		Name:         "n=2 interleaved, index-less finishes finish each choice in turn",
		IncludeUsage: true,
		Events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"A"}]}}`,
			`{"index":1,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"B"}]}}`,
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"a"}]}}`,
			`{"index":1,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"b"}]}}`,
			`{"finishReason":"stop"}`,
			`{"finishReason":"length"}`,
			`{"usage":{"completionTokens":4,"promptTokens":3,"totalTokens":7}}`,
		},
		Want: []string{role(0), text(0, "A"), role(1), text(1, "B"), text(0, "a"), text(1, "b"),
			fin(0, "stop"), fin(1, "length"), usage(3, 4, 7)},
		Content:  map[int]string{0: "Aa", 1: "Bb"},
		Finished: true,
	},
	{
		Name: "n=2 with indexed finishes and a single finish left to Close",
		Events: []string{
			`{"index":1,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"B"}]}}`,
			`{"index":1,"finishReason":"stop"}`,
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"A"}]}}`,
			`{"index":1,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"late"}]}}`,
		},
		Want:    []string{role(0), role(1), text(1, "B"), fin(1, "stop"), text(0, "A"), fin(0, "stop")},
		Content: map[int]string{0: "A", 1: "B"},
	},
}

func TestStream(t *testing.T) { ocitest.RunStreamCases(t, streamCases, generic.NewStream) }

func TestStreamFinishedWaitsForUsage(t *testing.T) {
	s := generic.NewStream(ocitest.StreamID, "m", 1, true)
	s.Start()
	mustEvent(t, s, `{"index":0,"message":{"content":[{"type":"TEXT","text":"x"}]}}`)
	if s.Finished() || s.FinishSeen() {
		t.Fatal("finished before the finish event")
	}
	mustEvent(t, s, `{"finishReason":"stop"}`)
	if !s.FinishSeen() || s.Finished() {
		t.Fatalf("after finish: FinishSeen=%v Finished=%v, want true/false", s.FinishSeen(), s.Finished())
	}
	mustEvent(t, s, `{"usage":{"promptTokens":1,"completionTokens":1,"totalTokens":2}}`)
	if !s.Finished() {
		t.Fatal("not finished after usage")
	}
}

func TestStreamExpectChoices(t *testing.T) {
	s := generic.NewStream(ocitest.StreamID, "m", 1, false)
	s.ExpectChoices(2)
	s.Start()
	mustEvent(t, s, `{"index":0,"finishReason":"stop"}`)
	if s.Finished() {
		t.Fatal("finished with one of two choices")
	}
	mustEvent(t, s, `{"index":1,"message":{"content":[{"type":"TEXT","text":"x"}]},"finishReason":"stop"}`)
	if !s.Finished() {
		t.Fatal("not finished after both choices")
	}
}

func mustEvent(t *testing.T, s *generic.Stream, ev string) []hub.ChatChunk {
	t.Helper()
	out, err := s.Event([]byte(ev))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStreamWithoutStart(t *testing.T) {
	ocitest.RunWithoutStart(t, generic.NewStream(ocitest.StreamID, "m", 1700000000, false),
		[]string{`{"index":0,"message":{"content":[{"type":"TEXT","text":"x"}]}}`}, []string{role(0), text(0, "x"), fin(0, "stop")})
	// Close on an empty stream still yields role + finish (+ usage).
	s := generic.NewStream(ocitest.StreamID, "m", 1700000000, true)
	chunks := s.Close()
	if len(chunks) != 3 || ocitest.Project(t, chunks[1]) != ocitest.ProjectWant(t, fin(0, "stop")) || len(chunks[2].Choices) != 0 {
		t.Errorf("empty stream: %s", jsontest.Marshal(t, chunks))
	}
	if out, _ := s.Event([]byte(`{"finishReason":"stop"}`)); out != nil {
		t.Error("events after Close produce chunks")
	}
}

func TestStreamErrors(t *testing.T) {
	s := generic.NewStream(ocitest.StreamID, "m", 1, false)
	for _, ev := range []string{"", "  ", "[DONE]", `{"pad":"aaaa"}`, `{}`} {
		out, err := s.Event([]byte(ev))
		if err != nil || out != nil {
			t.Errorf("Event(%q) = %v, %v; want nothing", ev, out, err)
		}
	}
	if _, err := s.Event([]byte(`{"index":0,"message":`)); err == nil {
		t.Error("truncated JSON: no error")
	}
	var ue *core.UpstreamError
	_, err := s.Event([]byte(`{"code":"InternalServerError","message":"boom"}`))
	if !errors.As(err, &ue) || ue.Code != "InternalServerError" || ue.Message != "boom" {
		t.Errorf("error event: %v", err)
	}
	_, err = s.Event([]byte(`{"errorMessage":"model overloaded"}`))
	if !errors.As(err, &ue) || ue.Message != "model overloaded" {
		t.Errorf("errorMessage event: %v", err)
	}
}

func TestStreamLogprobs(t *testing.T) {
	s := generic.NewStream(ocitest.StreamID, "m", 1, false)
	out := mustEvent(t, s, `{"index":0,"message":{"content":[{"type":"TEXT","text":"Hi"}]},"logprobs":{"tokens":["Hi"],"tokenLogprobs":[-0.25]}}`)
	if len(out) != 2 {
		t.Fatalf("got %d chunks", len(out))
	}
	jsontest.Assert(t, out[1].Choices[0], `{"index":0,"delta":{"content":"Hi"},"finish_reason":null,
		"logprobs":{"content":[{"token":"Hi","logprob":-0.25,"bytes":[72,105],"top_logprobs":[]}],"refusal":null}}`)
}
