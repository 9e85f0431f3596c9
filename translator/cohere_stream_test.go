package translator

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

// call renders one whole tool call delta.
func call(index int, id, name, args string) string {
	return calls(0, fmt.Sprintf(`[{"index":%d,"id":%q,"type":"function","function":{"name":%q,"arguments":%q}}]`, index, id, name, args))
}

var (
	wMunich = cohereCallID(0, "getWeather", `{"city":"Munich"}`)
	wTime1  = cohereCallID(1, "getTime", `{}`)
)

var cohereStreamCases = []streamCase{
	{
		name:         "reference shape: the terminal event repeats the text; usage on it",
		includeUsage: true,
		events: []string{
			`{"apiFormat":"COHERE","text":"Hi","pad":"aaaa"}`,
			`{"apiFormat":"COHERE","text":" there","pad":"aa"}`,
			`{"apiFormat":"COHERE","text":"Hi there","chatHistory":[{"role":"USER","message":"Say hi."},{"role":"CHATBOT","message":"Hi there"}],"finishReason":"COMPLETE","pad":"a","usage":{"completionTokens":2,"promptTokens":6,"totalTokens":8}}`,
			`[DONE]`,
		},
		want:     []string{role(0), text(0, "Hi"), text(0, " there"), fin(0, "stop"), usage(6, 2, 8)},
		content:  map[int]string{0: "Hi there"},
		finished: true,
	},
	{
		name: "tool calls streamed, then restated on the terminal event",
		events: []string{
			`{"apiFormat":"COHERE","toolCalls":[{"name":"getWeather","parameters":{"city":"Munich"}},{"name":"getTime","parameters":{}}]}`,
			`{"apiFormat":"COHERE","text":"","chatHistory":[],"finishReason":"COMPLETE",
				"toolCalls":[{"name":"getWeather","parameters":{ "city": "Munich" }},{"name":"getTime","parameters":{}}],"usage":{"completionTokens":5,"promptTokens":3,"totalTokens":8}}`,
		},
		want:     []string{role(0), call(0, wMunich, "getWeather", `{"city":"Munich"}`), call(1, wTime1, "getTime", `{}`), fin(0, "tool_calls")},
		args:     map[string]string{"0/0": `{"city":"Munich"}`, "0/1": `{}`},
		finished: true,
	},
	{
		name: "tool calls only on the terminal event are emitted there",
		events: []string{
			`{"apiFormat":"COHERE","text":"","chatHistory":[],"finishReason":"COMPLETE","toolCalls":[{"name":"getWeather","parameters":{"city":"Munich"}},{"name":"getTime"}]}`,
		},
		want:     []string{role(0), call(0, wMunich, "getWeather", `{"city":"Munich"}`), call(1, wTime1, "getTime", `{}`), fin(0, "tool_calls")},
		args:     map[string]string{"0/0": `{"city":"Munich"}`, "0/1": `{}`},
		finished: true,
	},
	{
		name: "identical calls are distinct calls; the terminal event restates both",
		events: []string{
			`{"apiFormat":"COHERE","toolCalls":[{"name":"getTime","parameters":{}}]}`,
			`{"apiFormat":"COHERE","toolCalls":[{"name":"getTime","parameters":{}}]}`,
			`{"apiFormat":"COHERE","text":"","finishReason":"COMPLETE","toolCalls":[{"name":"getTime","parameters":{}},{"name":"getTime","parameters":{}}]}`,
		},
		want: []string{role(0), call(0, cohereCallID(0, "getTime", "{}"), "getTime", `{}`), call(1, wTime1, "getTime", `{}`), fin(0, "tool_calls")},
		args: map[string]string{"0/0": `{}`, "0/1": `{}`}, finished: true,
	},
	{
		name: "the terminal event adds a call that was not streamed",
		events: []string{
			`{"apiFormat":"COHERE","toolCalls":[{"name":"getWeather","parameters":{"city":"Munich"}}]}`,
			`{"apiFormat":"COHERE","text":"","finishReason":"COMPLETE","toolCalls":[{"name":"getWeather","parameters":{"city":"Munich"}},{"name":"getTime","parameters":{}}]}`,
		},
		want: []string{role(0), call(0, wMunich, "getWeather", `{"city":"Munich"}`), call(1, wTime1, "getTime", `{}`), fin(0, "tool_calls")},
		args: map[string]string{"0/0": `{"city":"Munich"}`, "0/1": `{}`}, finished: true,
	},
	{
		name:     "single terminal event: its text is the only copy",
		events:   []string{`{"apiFormat":"COHERE","text":"All at once","chatHistory":[],"finishReason":"COMPLETE"}`},
		want:     []string{role(0), text(0, "All at once"), fin(0, "stop")},
		content:  map[int]string{0: "All at once"},
		finished: true,
	},
	{
		name:     "terminal text longer than the streamed text: the rest is emitted",
		events:   []string{`{"text":"Hello "}`, `{"text":"Hello world","finishReason":"MAX_TOKENS"}`},
		want:     []string{role(0), text(0, "Hello "), text(0, "world"), fin(0, "length")},
		content:  map[int]string{0: "Hello world"},
		finished: true,
	},
	{
		name:     "terminal text that does not extend the streamed text is ignored",
		events:   []string{`{"text":"Hello"}`, `{"text":"Goodbye","finishReason":"ERROR_TOXIC"}`},
		want:     []string{role(0), text(0, "Hello"), fin(0, "content_filter")},
		content:  map[int]string{0: "Hello"},
		finished: true,
	},
	{
		name:         "usage requested but not on the terminal event: finished anyway, zeros at Close",
		includeUsage: true,
		events:       []string{`{"text":"Hi"}`, `{"text":"Hi","finishReason":"COMPLETE"}`},
		want:         []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(0, 0, 0)},
		content:      map[int]string{0: "Hi"},
		finished:     true,
	},
	{
		name:         "a late usage event is still used",
		includeUsage: true,
		events:       []string{`{"text":"Hi","finishReason":"COMPLETE"}`, `{"usage":{"promptTokens":3,"completionTokens":1,"totalTokens":4}}`},
		want:         []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(3, 1, 4)},
		content:      map[int]string{0: "Hi"},
		finished:     true,
	},
	{
		name:     "events after the terminal event, blanks and [DONE] are ignored",
		events:   []string{``, `{"text":"a"}`, `{"text":"a","finishReason":"COMPLETE"}`, `{"text":"late"}`, `{"toolCalls":[{"name":"x"}]}`, `[DONE]`},
		want:     []string{role(0), text(0, "a"), fin(0, "stop")},
		content:  map[int]string{0: "a"},
		finished: true,
	},
	{
		name:    "no terminal event: Close finishes with stop",
		events:  []string{`{"text":"cut"}`, `{"text":""}`},
		want:    []string{role(0), text(0, "cut"), fin(0, "stop")},
		content: map[int]string{0: "cut"},
	},
}

func TestCohereStream(t *testing.T) {
	for _, tc := range cohereStreamCases {
		t.Run(tc.name, func(t *testing.T) {
			runStreamCase(t, NewCohereStream(streamID, "m", 1700000000, tc.includeUsage), tc)
		})
	}
}

var cohereV2StreamCases = []streamCase{
	{
		name:         "reference shape with usage on the finish event",
		includeUsage: true,
		events: []string{
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]},"pad":"aa"}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":" there"}]}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT"},"finishReason":"COMPLETE","usage":{"completionTokens":2,"promptTokens":1,"totalTokens":3}}`,
		},
		want:     []string{role(0), text(0, "Hi"), text(0, " there"), fin(0, "stop"), usage(1, 2, 3)},
		content:  map[int]string{0: "Hi there"},
		finished: true,
	},
	{
		name: "thinking then text",
		events: []string{
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"THINKING","thinking":"Let me "}]}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"THINKING","thinking":"think."}]}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"42"}]}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT"},"finishReason":"STOP_SEQUENCE"}`,
		},
		want:     []string{role(0), reasoning(0, "Let me "), reasoning(0, "think."), text(0, "42"), fin(0, "stop")},
		content:  map[int]string{0: "42"},
		finished: true,
	},
	{
		name: "one event per whole tool call",
		events: []string{
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","toolPlan":"I will look it up."}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","toolCalls":[{"id":"call_1","type":"FUNCTION","function":{"name":"lookup","arguments":"{\"q\":\"cats\"}"}}]}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","toolCalls":[{"id":"call_2","type":"FUNCTION","function":{"name":"now","arguments":"{}"}}]}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT"},"finishReason":"TOOL_CALL"}`,
		},
		want: []string{role(0), reasoning(0, "I will look it up."), call(0, "call_1", "lookup", `{"q":"cats"}`), call(1, "call_2", "now", `{}`), fin(0, "tool_calls")},
		args: map[string]string{"0/0": `{"q":"cats"}`, "0/1": `{}`}, finished: true,
	},
	{
		name: "two calls in one event get a chunk each",
		events: []string{
			`{"message":{"toolCalls":[{"id":"a","type":"FUNCTION","function":{"name":"f","arguments":"{}"}},{"id":"b","type":"FUNCTION","function":{"name":"g","arguments":{"x":1}}}]}}`,
			`{"message":{},"finishReason":"COMPLETE"}`,
		},
		want: []string{role(0), call(0, "a", "f", `{}`), call(1, "b", "g", `{"x":1}`), fin(0, "tool_calls")},
		args: map[string]string{"0/0": `{}`, "0/1": `{"x":1}`}, finished: true,
	},
	{
		name: "header then argument fragments",
		events: []string{
			`{"message":{"toolCalls":[{"id":"a","type":"FUNCTION","function":{"name":"f"}}]}}`,
			`{"message":{"toolCalls":[{"type":"FUNCTION","function":{"arguments":"{\"x\":"}}]}}`,
			`{"message":{"toolCalls":[{"type":"FUNCTION","function":{"arguments":"1}"}}]}}`,
			`{"message":{},"finishReason":"TOOL_CALL"}`,
		},
		want: []string{role(0), call(0, "a", "f", ``), calls(0, `[{"index":0,"function":{"arguments":"{\"x\":"}}]`), calls(0, `[{"index":0,"function":{"arguments":"1}"}}]`), fin(0, "tool_calls")},
		args: map[string]string{"0/0": `{"x":1}`}, finished: true,
	},
	{
		name: "a finish event that repeats the text and the calls adds nothing",
		events: []string{
			`{"message":{"content":[{"type":"TEXT","text":"Hi"}]}}`,
			`{"message":{"toolCalls":[{"id":"a","type":"FUNCTION","function":{"name":"f","arguments":"{}"}}]}}`,
			`{"message":{"content":[{"type":"TEXT","text":"Hi"}],"toolCalls":[{"id":"a","type":"FUNCTION","function":{"name":"f","arguments":"{}"}}]},"finishReason":"TOOL_CALL"}`,
		},
		want:    []string{role(0), text(0, "Hi"), call(0, "a", "f", `{}`), fin(0, "tool_calls")},
		content: map[int]string{0: "Hi"}, args: map[string]string{"0/0": `{}`}, finished: true,
	},
	{
		name:     "a finish event carrying the last piece",
		events:   []string{`{"message":{"content":[{"type":"TEXT","text":"Hello "}]}}`, `{"message":{"content":[{"type":"TEXT","text":"world"}]},"finishReason":"MAX_TOKENS"}`},
		want:     []string{role(0), text(0, "Hello "), text(0, "world"), fin(0, "length")},
		content:  map[int]string{0: "Hello world"},
		finished: true,
	},
	{
		name:         "usage in a separate event after the finish",
		includeUsage: true,
		events:       []string{`{"message":{"content":[{"type":"TEXT","text":"Hi"}]}}`, `{"message":{"role":"ASSISTANT"},"finishReason":"COMPLETE"}`, `{"usage":{"completionTokens":1,"promptTokens":2,"totalTokens":3}}`},
		want:         []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(2, 1, 3)},
		content:      map[int]string{0: "Hi"},
		finished:     true,
	},
	{
		name:         "usage requested and missing: not finished; zeros at Close",
		includeUsage: true,
		events:       []string{`{"message":{"content":[{"type":"TEXT","text":"Hi"}]}}`, `{"message":{"role":"ASSISTANT"},"finishReason":"ERROR"}`},
		want:         []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(0, 0, 0)},
		content:      map[int]string{0: "Hi"},
	},
}

func TestCohereV2Stream(t *testing.T) {
	for _, tc := range cohereV2StreamCases {
		t.Run(tc.name, func(t *testing.T) {
			runStreamCase(t, NewCohereV2Stream(streamID, "m", 1700000000, tc.includeUsage), tc)
		})
	}
}

func TestCohereV2StreamFinishedWaitsForUsage(t *testing.T) {
	s := NewCohereV2Stream(streamID, "m", 1, true)
	s.Event([]byte(`{"message":{"role":"ASSISTANT"},"finishReason":"COMPLETE"}`))
	if s.Finished() || !s.FinishSeen() {
		t.Fatal("finished before usage")
	}
	s.Event([]byte(`{"usage":{"promptTokens":1}}`))
	if !s.Finished() {
		t.Fatal("not finished after usage")
	}
}

func TestCohereStreamsWithoutStart(t *testing.T) {
	for _, s := range []chunkStream{NewCohereStream(streamID, "m", 1, false), NewCohereV2Stream(streamID, "m", 1, false)} {
		var chunks []hub.ChatChunk
		for _, ev := range []string{`{"text":"x","message":{"content":[{"type":"TEXT","text":"x"}]}}`, `{"finishReason":"COMPLETE","text":"x"}`} {
			out, err := s.Event([]byte(ev))
			if err != nil {
				t.Fatal(err)
			}
			chunks = append(chunks, out...)
		}
		chunks = append(chunks, s.Close()...)
		if len(chunks) != 3 || project(t, chunks[0]) != projectWant(t, role(0)) || project(t, chunks[1]) != projectWant(t, text(0, "x")) {
			t.Errorf("%T: %d chunks", s, len(chunks))
		}
	}
}

func TestCohereStreamErrors(t *testing.T) {
	tests := []struct {
		name, event string
		v2          bool
		code, msg   string // UpstreamError; "" msg and code: a plain error
	}{
		{"V1 errorMessage", `{"apiFormat":"COHERE","errorMessage":"boom","finishReason":"ERROR"}`, false, "", "boom"},
		{"V1 error body", `{"code":"InternalServerError","message":"oops"}`, false, "InternalServerError", "oops"},
		{"V1 numeric code", `{"code":500,"message":"oops"}`, false, "500", "oops"},
		{"V1 garbage", `{"text":`, false, "", ""},
		{"V1 wrong type", `{"text":5}`, false, "", ""},
		{"V2 errorMessage", `{"apiFormat":"COHEREV2","errorMessage":"boom"}`, true, "", "boom"},
		{"V2 error body", `{"code":"TooManyRequests","message":"slow down"}`, true, "TooManyRequests", "slow down"},
		{"V2 code only", `{"code":"X"}`, true, "X", ""},
		{"V2 garbage", `nope`, true, "", ""},
		{"V2 bad message", `{"message":{"content":"x"}}`, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s chunkStream = NewCohereStream(streamID, "m", 1, false)
			if tt.v2 {
				s = NewCohereV2Stream(streamID, "m", 1, false)
			}
			_, err := s.Event([]byte(tt.event))
			if err == nil {
				t.Fatal("no error")
			}
			var ue *UpstreamError
			isUE := errors.As(err, &ue)
			if tt.code == "" && tt.msg == "" {
				if isUE {
					t.Errorf("got UpstreamError %v for undecodable JSON", err)
				}
				return
			}
			if !isUE || ue.Code != tt.code || ue.Message != tt.msg {
				t.Errorf("err = %#v", err)
			}
		})
	}
}
