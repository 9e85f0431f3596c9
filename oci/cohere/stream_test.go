package cohere_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ociai/ociai-proxy/oci/cohere"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

// Expected-chunk shorthands (see ocitest).
var role, text, calls, fin, usage = ocitest.Role, ocitest.Text, ocitest.Calls, ocitest.Fin, ocitest.Usage

// call renders one whole tool call delta.
func call(index int, id, name, args string) string {
	return calls(0, fmt.Sprintf(`[{"index":%d,"id":%q,"type":"function","function":{"name":%q,"arguments":%q}}]`, index, id, name, args))
}

var (
	wMunich = core.CohereCallID(0, "getWeather", `{"city":"Munich"}`)
	wTime1  = core.CohereCallID(1, "getTime", `{}`)
)

var cohereStreamCases = []ocitest.StreamCase{
	{
		Name:         "reference shape: the terminal event repeats the text; usage on it",
		IncludeUsage: true,
		Events: []string{
			`{"apiFormat":"COHERE","text":"Hi","pad":"aaaa"}`,
			`{"apiFormat":"COHERE","text":" there","pad":"aa"}`,
			`{"apiFormat":"COHERE","text":"Hi there","chatHistory":[{"role":"USER","message":"Say hi."},{"role":"CHATBOT","message":"Hi there"}],"finishReason":"COMPLETE","pad":"a","usage":{"completionTokens":2,"promptTokens":6,"totalTokens":8}}`,
			`[DONE]`,
		},
		Want:     []string{role(0), text(0, "Hi"), text(0, " there"), fin(0, "stop"), usage(6, 2, 8)},
		Content:  map[int]string{0: "Hi there"},
		Finished: true,
	},
	{
		Name: "tool calls streamed, then restated on the terminal event",
		Events: []string{
			`{"apiFormat":"COHERE","toolCalls":[{"name":"getWeather","parameters":{"city":"Munich"}},{"name":"getTime","parameters":{}}]}`,
			`{"apiFormat":"COHERE","text":"","chatHistory":[],"finishReason":"COMPLETE",
				"toolCalls":[{"name":"getWeather","parameters":{ "city": "Munich" }},{"name":"getTime","parameters":{}}],"usage":{"completionTokens":5,"promptTokens":3,"totalTokens":8}}`,
		},
		Want:     []string{role(0), call(0, wMunich, "getWeather", `{"city":"Munich"}`), call(1, wTime1, "getTime", `{}`), fin(0, "tool_calls")},
		Args:     map[string]string{"0/0": `{"city":"Munich"}`, "0/1": `{}`},
		Finished: true,
	},
	{
		Name: "tool calls only on the terminal event are emitted there",
		Events: []string{
			`{"apiFormat":"COHERE","text":"","chatHistory":[],"finishReason":"COMPLETE","toolCalls":[{"name":"getWeather","parameters":{"city":"Munich"}},{"name":"getTime"}]}`,
		},
		Want:     []string{role(0), call(0, wMunich, "getWeather", `{"city":"Munich"}`), call(1, wTime1, "getTime", `{}`), fin(0, "tool_calls")},
		Args:     map[string]string{"0/0": `{"city":"Munich"}`, "0/1": `{}`},
		Finished: true,
	},
	{
		Name: "identical calls are distinct calls; the terminal event restates both",
		Events: []string{
			`{"apiFormat":"COHERE","toolCalls":[{"name":"getTime","parameters":{}}]}`,
			`{"apiFormat":"COHERE","toolCalls":[{"name":"getTime","parameters":{}}]}`,
			`{"apiFormat":"COHERE","text":"","finishReason":"COMPLETE","toolCalls":[{"name":"getTime","parameters":{}},{"name":"getTime","parameters":{}}]}`,
		},
		Want: []string{role(0), call(0, core.CohereCallID(0, "getTime", "{}"), "getTime", `{}`), call(1, wTime1, "getTime", `{}`), fin(0, "tool_calls")},
		Args: map[string]string{"0/0": `{}`, "0/1": `{}`}, Finished: true,
	},
	{
		Name: "the terminal event adds a call that was not streamed",
		Events: []string{
			`{"apiFormat":"COHERE","toolCalls":[{"name":"getWeather","parameters":{"city":"Munich"}}]}`,
			`{"apiFormat":"COHERE","text":"","finishReason":"COMPLETE","toolCalls":[{"name":"getWeather","parameters":{"city":"Munich"}},{"name":"getTime","parameters":{}}]}`,
		},
		Want: []string{role(0), call(0, wMunich, "getWeather", `{"city":"Munich"}`), call(1, wTime1, "getTime", `{}`), fin(0, "tool_calls")},
		Args: map[string]string{"0/0": `{"city":"Munich"}`, "0/1": `{}`}, Finished: true,
	},
	{
		Name:     "single terminal event: its text is the only copy",
		Events:   []string{`{"apiFormat":"COHERE","text":"All at once","chatHistory":[],"finishReason":"COMPLETE"}`},
		Want:     []string{role(0), text(0, "All at once"), fin(0, "stop")},
		Content:  map[int]string{0: "All at once"},
		Finished: true,
	},
	{
		Name:     "terminal text longer than the streamed text: the rest is emitted",
		Events:   []string{`{"text":"Hello "}`, `{"text":"Hello world","finishReason":"MAX_TOKENS"}`},
		Want:     []string{role(0), text(0, "Hello "), text(0, "world"), fin(0, "length")},
		Content:  map[int]string{0: "Hello world"},
		Finished: true,
	},
	{
		Name:     "terminal text that does not extend the streamed text is ignored",
		Events:   []string{`{"text":"Hello"}`, `{"text":"Goodbye","finishReason":"ERROR_TOXIC"}`},
		Want:     []string{role(0), text(0, "Hello"), fin(0, "content_filter")},
		Content:  map[int]string{0: "Hello"},
		Finished: true,
	},
	{
		Name:         "usage requested but not on the terminal event: finished anyway, zeros at Close",
		IncludeUsage: true,
		Events:       []string{`{"text":"Hi"}`, `{"text":"Hi","finishReason":"COMPLETE"}`},
		Want:         []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(0, 0, 0)},
		Content:      map[int]string{0: "Hi"},
		Finished:     true,
	},
	{
		Name:         "a late usage event is still used",
		IncludeUsage: true,
		Events:       []string{`{"text":"Hi","finishReason":"COMPLETE"}`, `{"usage":{"promptTokens":3,"completionTokens":1,"totalTokens":4}}`},
		Want:         []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(3, 1, 4)},
		Content:      map[int]string{0: "Hi"},
		Finished:     true,
	},
	{
		Name:     "events after the terminal event, blanks and [DONE] are ignored",
		Events:   []string{``, `{"text":"a"}`, `{"text":"a","finishReason":"COMPLETE"}`, `{"text":"late"}`, `{"toolCalls":[{"name":"x"}]}`, `[DONE]`},
		Want:     []string{role(0), text(0, "a"), fin(0, "stop")},
		Content:  map[int]string{0: "a"},
		Finished: true,
	},
	{
		Name:    "no terminal event: Close finishes with stop",
		Events:  []string{`{"text":"cut"}`, `{"text":""}`},
		Want:    []string{role(0), text(0, "cut"), fin(0, "stop")},
		Content: map[int]string{0: "cut"},
	},
}

func TestStream(t *testing.T) { ocitest.RunStreamCases(t, cohereStreamCases, cohere.NewStream) }

func TestStreamWithoutStart(t *testing.T) {
	ocitest.RunWithoutStart(t, cohere.NewStream(ocitest.StreamID, "m", 1, false),
		[]string{`{"text":"x","message":{"content":[{"type":"TEXT","text":"x"}]}}`, `{"finishReason":"COMPLETE","text":"x"}`},
		[]string{role(0), text(0, "x"), fin(0, "stop")})
}

func TestStreamErrors(t *testing.T) {
	ocitest.RunStreamErrors(t, func() core.Stream { return cohere.NewStream(ocitest.StreamID, "m", 1, false) }, [][4]string{
		{"errorMessage", `{"apiFormat":"COHERE","errorMessage":"boom","finishReason":"ERROR"}`, "", "boom"},
		{"error body", `{"code":"InternalServerError","message":"oops"}`, "InternalServerError", "oops"},
		{"numeric code", `{"code":500,"message":"oops"}`, "500", "oops"},
		{"garbage", `{"text":`, "", ""},
		{"wrong type", `{"text":5}`, "", ""},
	})
}

// The stream decodes every event into the same target: an empty text still counts as text (it tells an event
// from an error body), and the text of one event does not stay for the next.
func TestStreamReusedTarget(t *testing.T) {
	s := cohere.NewStream(ocitest.StreamID, "m", 1, false)
	s.Start()
	if out, err := s.Event([]byte(`{"code":"x","message":"oops","text":""}`)); err != nil || out != nil {
		t.Fatalf("event with empty text: %v, %v", out, err)
	}
	if out, err := s.Event([]byte(`{"text":"Hi"}`)); err != nil || len(out) != 1 || *out[0].Choices[0].Delta.Content != "Hi" {
		t.Fatalf("text event: %v, %v", out, err)
	}
	var ue *core.UpstreamError
	if _, err := s.Event([]byte(`{"code":"x","message":"oops"}`)); !errors.As(err, &ue) || ue.Message != "oops" {
		t.Fatalf("error body after a text event: %v", err)
	}
}
