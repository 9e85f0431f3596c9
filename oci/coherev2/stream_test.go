package coherev2_test

import (
	"fmt"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/coherev2"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

// Expected-chunk shorthands (see ocitest).
var role, text, reasoning, calls, fin, usage = ocitest.Role, ocitest.Text, ocitest.Reasoning, ocitest.Calls, ocitest.Fin, ocitest.Usage

// call renders one whole tool call delta.
func call(index int, id, name, args string) string {
	return calls(0, fmt.Sprintf(`[{"index":%d,"id":%q,"type":"function","function":{"name":%q,"arguments":%q}}]`, index, id, name, args))
}

var cohereV2StreamCases = []ocitest.StreamCase{
	{
		// The stream decodes every event into the same target: nothing of one event may show in the next.
		Name: "events of different shapes one after another",
		Events: []string{
			`{"message":{"content":[{"type":"THINKING","thinking":"t"}]}}`,
			`{"message":{"content":[{"text":"b"}]}}`,
			`{"message":{"toolPlan":"p"}}`,
			`{"message":{"role":"ASSISTANT"},"finishReason":"COMPLETE"}`,
		},
		Want:     []string{role(0), reasoning(0, "t"), text(0, "b"), reasoning(0, "p"), fin(0, "stop")},
		Content:  map[int]string{0: "b"},
		Finished: true,
	},
	{
		Name:         "reference shape with usage on the finish event",
		IncludeUsage: true,
		Events: []string{
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]},"pad":"aa"}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":" there"}]}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT"},"finishReason":"COMPLETE","usage":{"completionTokens":2,"promptTokens":1,"totalTokens":3}}`,
		},
		Want:     []string{role(0), text(0, "Hi"), text(0, " there"), fin(0, "stop"), usage(1, 2, 3)},
		Content:  map[int]string{0: "Hi there"},
		Finished: true,
	},
	{
		Name: "thinking then text",
		Events: []string{
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"THINKING","thinking":"Let me "}]}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"THINKING","thinking":"think."}]}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"42"}]}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT"},"finishReason":"STOP_SEQUENCE"}`,
		},
		Want:     []string{role(0), reasoning(0, "Let me "), reasoning(0, "think."), text(0, "42"), fin(0, "stop")},
		Content:  map[int]string{0: "42"},
		Finished: true,
	},
	{
		Name: "one event per whole tool call",
		Events: []string{
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","toolPlan":"I will look it up."}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","toolCalls":[{"id":"call_1","type":"FUNCTION","function":{"name":"lookup","arguments":"{\"q\":\"cats\"}"}}]}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","toolCalls":[{"id":"call_2","type":"FUNCTION","function":{"name":"now","arguments":"{}"}}]}}`,
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT"},"finishReason":"TOOL_CALL"}`,
		},
		Want: []string{role(0), reasoning(0, "I will look it up."), call(0, "call_1", "lookup", `{"q":"cats"}`), call(1, "call_2", "now", `{}`), fin(0, "tool_calls")},
		Args: map[string]string{"0/0": `{"q":"cats"}`, "0/1": `{}`}, Finished: true,
	},
	{
		Name: "two calls in one event get a chunk each",
		Events: []string{
			`{"message":{"toolCalls":[{"id":"a","type":"FUNCTION","function":{"name":"f","arguments":"{}"}},{"id":"b","type":"FUNCTION","function":{"name":"g","arguments":{"x":1}}}]}}`,
			`{"message":{},"finishReason":"COMPLETE"}`,
		},
		Want: []string{role(0), call(0, "a", "f", `{}`), call(1, "b", "g", `{"x":1}`), fin(0, "tool_calls")},
		Args: map[string]string{"0/0": `{}`, "0/1": `{"x":1}`}, Finished: true,
	},
	{
		Name: "header then argument fragments",
		Events: []string{
			`{"message":{"toolCalls":[{"id":"a","type":"FUNCTION","function":{"name":"f"}}]}}`,
			`{"message":{"toolCalls":[{"type":"FUNCTION","function":{"arguments":"{\"x\":"}}]}}`,
			`{"message":{"toolCalls":[{"type":"FUNCTION","function":{"arguments":"1}"}}]}}`,
			`{"message":{},"finishReason":"TOOL_CALL"}`,
		},
		Want: []string{role(0), call(0, "a", "f", ``), calls(0, `[{"index":0,"function":{"arguments":"{\"x\":"}}]`), calls(0, `[{"index":0,"function":{"arguments":"1}"}}]`), fin(0, "tool_calls")},
		Args: map[string]string{"0/0": `{"x":1}`}, Finished: true,
	},
	{
		Name: "a finish event that repeats the text and the calls adds nothing",
		Events: []string{
			`{"message":{"content":[{"type":"TEXT","text":"Hi"}]}}`,
			`{"message":{"toolCalls":[{"id":"a","type":"FUNCTION","function":{"name":"f","arguments":"{}"}}]}}`,
			`{"message":{"content":[{"type":"TEXT","text":"Hi"}],"toolCalls":[{"id":"a","type":"FUNCTION","function":{"name":"f","arguments":"{}"}}]},"finishReason":"TOOL_CALL"}`,
		},
		Want:    []string{role(0), text(0, "Hi"), call(0, "a", "f", `{}`), fin(0, "tool_calls")},
		Content: map[int]string{0: "Hi"}, Args: map[string]string{"0/0": `{}`}, Finished: true,
	},
	{
		Name:     "a finish event carrying the last piece",
		Events:   []string{`{"message":{"content":[{"type":"TEXT","text":"Hello "}]}}`, `{"message":{"content":[{"type":"TEXT","text":"world"}]},"finishReason":"MAX_TOKENS"}`},
		Want:     []string{role(0), text(0, "Hello "), text(0, "world"), fin(0, "length")},
		Content:  map[int]string{0: "Hello world"},
		Finished: true,
	},
	{
		Name:         "usage in a separate event after the finish",
		IncludeUsage: true,
		Events:       []string{`{"message":{"content":[{"type":"TEXT","text":"Hi"}]}}`, `{"message":{"role":"ASSISTANT"},"finishReason":"COMPLETE"}`, `{"usage":{"completionTokens":1,"promptTokens":2,"totalTokens":3}}`},
		Want:         []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(2, 1, 3)},
		Content:      map[int]string{0: "Hi"},
		Finished:     true,
	},
	{
		Name:         "usage requested and missing: not finished; zeros at Close",
		IncludeUsage: true,
		Events:       []string{`{"message":{"content":[{"type":"TEXT","text":"Hi"}]}}`, `{"message":{"role":"ASSISTANT"},"finishReason":"ERROR"}`},
		Want:         []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(0, 0, 0)},
		Content:      map[int]string{0: "Hi"},
	},
}

func TestStream(t *testing.T) { ocitest.RunStreamCases(t, cohereV2StreamCases, coherev2.NewStream) }

func TestStreamFinishedWaitsForUsage(t *testing.T) {
	s := coherev2.NewStream(ocitest.StreamID, "m", 1, true)
	s.Event([]byte(`{"message":{"role":"ASSISTANT"},"finishReason":"COMPLETE"}`))
	if s.Finished() || !s.FinishSeen() {
		t.Fatal("finished before usage")
	}
	s.Event([]byte(`{"usage":{"promptTokens":1}}`))
	if !s.Finished() {
		t.Fatal("not finished after usage")
	}
}

func TestStreamWithoutStart(t *testing.T) {
	ocitest.RunWithoutStart(t, coherev2.NewStream(ocitest.StreamID, "m", 1, false),
		[]string{`{"text":"x","message":{"content":[{"type":"TEXT","text":"x"}]}}`, `{"finishReason":"COMPLETE","text":"x"}`},
		[]string{role(0), text(0, "x"), fin(0, "stop")})
}

func TestStreamErrors(t *testing.T) {
	ocitest.RunStreamErrors(t, func() core.Stream { return coherev2.NewStream(ocitest.StreamID, "m", 1, false) }, [][4]string{
		{"errorMessage", `{"apiFormat":"COHEREV2","errorMessage":"boom"}`, "", "boom"},
		{"error body", `{"code":"TooManyRequests","message":"slow down"}`, "TooManyRequests", "slow down"},
		{"code only", `{"code":"X"}`, "X", ""},
		{"garbage", `nope`, "", ""},
		{"bad message", `{"message":{"content":"x"}}`, "", ""},
	})
}

// The finish reason OCI sent travels beside the hub's, for client APIs that tell a stop sequence from the end of
// the turn; the whole answer and the stream agree.
func TestNativeFinishReason(t *testing.T) {
	s := coherev2.NewStream(ocitest.StreamID, "m", 1, false)
	s.Start()
	out, err := s.Event([]byte(`{"message":{"content":[{"type":"TEXT","text":"Hi"}]},"finishReason":"STOP_SEQUENCE"}`))
	if err != nil || len(out) != 2 {
		t.Fatalf("%v, %d chunks", err, len(out))
	}
	if ch := out[1].Choices[0]; *ch.FinishReason != "stop" || ch.NativeFinishReason != "STOP_SEQUENCE" {
		t.Errorf("finish chunk %+v", ch)
	}
	c, err := coherev2.Completion([]byte(`{"chatResponse":{"message":{"content":[{"type":"TEXT","text":"Hi"}]},"finishReason":"STOP_SEQUENCE"}}`), "id", "m", 1)
	if err != nil || c.Choices[0].FinishReason != "stop" || c.Choices[0].NativeFinishReason != "STOP_SEQUENCE" {
		t.Fatalf("%v %+v", err, c)
	}
	if last := hub.ChunksFromCompletion(c, false); last[len(last)-1].Choices[0].NativeFinishReason != "STOP_SEQUENCE" {
		t.Error("the synthesized stream lost the native finish reason")
	}
}
