package translator

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

// Expected-chunk shorthands: each renders one chunk's single choice.
func role(i int) string {
	return fmt.Sprintf(`{"index":%d,"delta":{"role":"assistant","content":""},"finish_reason":null,"logprobs":null}`, i)
}
func text(i int, s string) string {
	return fmt.Sprintf(`{"index":%d,"delta":{"content":%s},"finish_reason":null,"logprobs":null}`, i, strconv.Quote(s))
}
func reasoning(i int, s string) string {
	return fmt.Sprintf(`{"index":%d,"delta":{"reasoning_content":%s},"finish_reason":null,"logprobs":null}`, i, strconv.Quote(s))
}
func calls(i int, deltas string) string {
	return fmt.Sprintf(`{"index":%d,"delta":{"tool_calls":%s},"finish_reason":null,"logprobs":null}`, i, deltas)
}
func fin(i int, reason string) string {
	return fmt.Sprintf(`{"index":%d,"delta":{},"finish_reason":%q,"logprobs":null}`, i, reason)
}
func usage(p, c, t int) string {
	return fmt.Sprintf(`usage:{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}`, p, c, t)
}

const streamID = "chatcmpl-s"

type streamCase struct {
	name         string
	includeUsage bool
	events       []string
	want         []string          // projected chunks, Start's role chunk first
	content      map[int]string    // accumulated content per choice
	args         map[string]string // accumulated arguments per "choice/index"
	finished     bool              // Finished() after the last event
}

var streamCases = []streamCase{
	{
		name: "text, empty first event, bare finish, [DONE]",
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":""}]},"pad":"aaa"}`,
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hello"}]},"pad":"aaaaa"}`,
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":", world"}]},"pad":"aa"}`,
			`{"finishReason":"stop","pad":"aaaaaa"}`,
			`[DONE]`,
		},
		want:     []string{role(0), text(0, "Hello"), text(0, ", world"), fin(0, "stop")},
		content:  map[int]string{0: "Hello, world"},
		finished: true,
	},
	{
		name: "finish event with role-only message",
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]},"pad":"a"}`,
			`{"message":{"role":"ASSISTANT"},"finishReason":"stop","pad":"aaa"}`,
		},
		want:     []string{role(0), text(0, "Hi"), fin(0, "stop")},
		content:  map[int]string{0: "Hi"},
		finished: true,
	},
	{
		name: "finish event with empty text",
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]},"pad":"a"}`,
			`{"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":""}]},"finishReason":"stop","pad":"aaa"}`,
		},
		want:     []string{role(0), text(0, "Hi"), fin(0, "stop")},
		content:  map[int]string{0: "Hi"},
		finished: true,
	},
	{
		name: "finish event carrying the last text",
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hello "}]},"pad":"a"}`,
			`{"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"world"}]},"finishReason":"length","pad":"aaa"}`,
		},
		want:     []string{role(0), text(0, "Hello "), text(0, "world"), fin(0, "length")},
		content:  map[int]string{0: "Hello world"},
		finished: true,
	},
	{
		name:         "usage event after finish",
		includeUsage: true,
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]},"pad":"a"}`,
			`{"finishReason":"stop","pad":"aa"}`,
			`{"usage":{"completionTokens":8,"promptTokens":41,"totalTokens":49},"pad":"aaaa"}`,
		},
		want:     []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(41, 8, 49)},
		content:  map[int]string{0: "Hi"},
		finished: true,
	},
	{
		name:         "usage on the finish event",
		includeUsage: true,
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]}}`,
			`{"finishReason":"stop","usage":{"completionTokens":1,"promptTokens":2}}`,
		},
		want:     []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(2, 1, 3)},
		content:  map[int]string{0: "Hi"},
		finished: true,
	},
	{
		name:         "usage event wins over finish-event usage",
		includeUsage: true,
		events: []string{
			`{"finishReason":"stop","usage":{"completionTokens":1,"promptTokens":2,"totalTokens":3}}`,
			`{"usage":{"completionTokens":5,"promptTokens":6,"totalTokens":11}}`,
		},
		want:     []string{role(0), fin(0, "stop"), usage(6, 5, 11)},
		finished: true,
	},
	{
		name:         "usage requested but never sent: zeros",
		includeUsage: true,
		events:       []string{`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hi"}]}}`, `{"finishReason":"stop"}`},
		want:         []string{role(0), text(0, "Hi"), fin(0, "stop"), usage(0, 0, 0)},
		content:      map[int]string{0: "Hi"},
		finished:     false,
	},
	{
		name:     "usage not requested: usage event ignored",
		events:   []string{`{"finishReason":"stop"}`, `{"usage":{"completionTokens":8,"promptTokens":41,"totalTokens":49}}`},
		want:     []string{role(0), fin(0, "stop")},
		finished: true,
	},
	{
		name: "no finish event: Close finishes with stop",
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"cut"}]}}`,
		},
		want:    []string{role(0), text(0, "cut"), fin(0, "stop")},
		content: map[int]string{0: "cut"},
	},
	{
		name: "reasoning deltas before content",
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","reasoningContent":"Let me"}}`,
			`{"index":0,"message":{"role":"ASSISTANT","reasoningContent":" think."}}`,
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"42"}]}}`,
			`{"finishReason":"stop"}`,
		},
		want:     []string{role(0), reasoning(0, "Let me"), reasoning(0, " think."), text(0, "42"), fin(0, "stop")},
		content:  map[int]string{0: "42"},
		finished: true,
	},
	{
		name: "reasoning and text in one event share a chunk; refusal delta",
		events: []string{
			`{"message":{"role":"ASSISTANT","reasoningContent":"r","content":[{"type":"TEXT","text":"c"},{"type":"TEXT","text":"d"}]}}`,
			`{"message":{"role":"ASSISTANT","refusal":"no"}}`,
			`{"finishReason":"CONTENT_FILTERED"}`,
		},
		want: []string{role(0), `{"index":0,"delta":{"reasoning_content":"r","content":"cd"},"finish_reason":null,"logprobs":null}`,
			`{"index":0,"delta":{"refusal":"no"},"finish_reason":null,"logprobs":null}`, fin(0, "content_filter")},
		content:  map[int]string{0: "cd"},
		finished: true,
	},
	{
		name: "pattern A: whole calls per event (Grok)",
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"call_69943055","name":"LIST_PACKAGE_NAMES","arguments":"{\"arg0\":\"HR\"}"}]},"pad":"aa"}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"call_53265426","name":"LIST_PROCEDURE_NAMES","arguments":"{\"arg0\":\"HR\"}"}]},"pad":"a"}`,
			`{"finishReason":"tool_calls","pad":"aaaaaaaaa"}`,
		},
		want: []string{role(0),
			calls(0, `[{"index":0,"id":"call_69943055","type":"function","function":{"name":"LIST_PACKAGE_NAMES","arguments":"{\"arg0\":\"HR\"}"}}]`),
			calls(0, `[{"index":1,"id":"call_53265426","type":"function","function":{"name":"LIST_PROCEDURE_NAMES","arguments":"{\"arg0\":\"HR\"}"}}]`),
			fin(0, "tool_calls")},
		args:     map[string]string{"0/0": `{"arg0":"HR"}`, "0/1": `{"arg0":"HR"}`},
		finished: true,
	},
	{
		name: "pattern B: header then id-less fragments, trailing empty arguments on finish",
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"chatcmpl-tool-e5f86a029","name":"sqrt"}]},"pad":"x"}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":"{\"arg0\": \""}]},"pad":"x"}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":"16\"}"}]},"pad":"x"}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"chatcmpl-tool-13ee961b3","name":"extractMagicalNumber"}]},"pad":"x"}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":"{\"arg1\": \""}]},"pad":"x"}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":"4\"}"}]},"pad":"x"}`,
			`{"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":""}]},"finishReason":"tool_calls","pad":"x"}`,
		},
		want: []string{role(0),
			calls(0, `[{"index":0,"id":"chatcmpl-tool-e5f86a029","type":"function","function":{"name":"sqrt","arguments":""}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"{\"arg0\": \""}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"16\"}"}}]`),
			calls(0, `[{"index":1,"id":"chatcmpl-tool-13ee961b3","type":"function","function":{"name":"extractMagicalNumber","arguments":""}}]`),
			calls(0, `[{"index":1,"function":{"arguments":"{\"arg1\": \""}}]`),
			calls(0, `[{"index":1,"function":{"arguments":"4\"}"}}]`),
			fin(0, "tool_calls")},
		args:     map[string]string{"0/0": `{"arg0": "16"}`, "0/1": `{"arg1": "4"}`},
		finished: true,
	},
	{
		name: "Llama reports stop despite tool calls",
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"t1","name":"f"}]}}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":"{}"}]}}`,
			`{"finishReason":"stop"}`,
		},
		want: []string{role(0),
			calls(0, `[{"index":0,"id":"t1","type":"function","function":{"name":"f","arguments":""}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"{}"}}]`),
			fin(0, "tool_calls")},
		args:     map[string]string{"0/0": `{}`},
		finished: true,
	},
	{
		name: "Gemini: no ids, parallel calls to the same function",
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","name":"get_weather","arguments":"{\"city\":\"Paris\"}"}]}}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","name":"get_weather","arguments":"{\"city\":\"Rome\"}"},{"type":"FUNCTION","name":"get_time","arguments":"{}"}]}}`,
			`{"finishReason":"stop"}`,
		},
		want: []string{role(0),
			calls(0, `[{"index":0,"id":"`+syntheticCallID(streamID, 0, 0)+`","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]`),
			calls(0, `[{"index":1,"id":"`+syntheticCallID(streamID, 0, 1)+`","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}},`+
				`{"index":2,"id":"`+syntheticCallID(streamID, 0, 2)+`","type":"function","function":{"name":"get_time","arguments":"{}"}}]`),
			fin(0, "tool_calls")},
		args:     map[string]string{"0/0": `{"city":"Paris"}`, "0/1": `{"city":"Rome"}`, "0/2": `{}`},
		finished: true,
	},
	{
		name: "no id, name repeated on an unfinished call continues it",
		events: []string{
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","name":"f","arguments":"{\"a\":"}]}}`,
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","name":"f","arguments":"1}"}]}}`,
			`{"finishReason":"tool_calls"}`,
		},
		want: []string{role(0),
			calls(0, `[{"index":0,"id":"`+syntheticCallID(streamID, 0, 0)+`","type":"function","function":{"name":"f","arguments":"{\"a\":"}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"1}"}}]`),
			fin(0, "tool_calls")},
		args:     map[string]string{"0/0": `{"a":1}`},
		finished: true,
	},
	{
		name: "nested function shape",
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"id":"n1","type":"FUNCTION","function":{"name":"f","arguments":"{\"a\""}}]}}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","function":{"arguments":":1}"}}]}}`,
			`{"finishReason":"tool_calls"}`,
		},
		want: []string{role(0),
			calls(0, `[{"index":0,"id":"n1","type":"function","function":{"name":"f","arguments":"{\"a\""}}]`),
			calls(0, `[{"index":0,"function":{"arguments":":1}"}}]`),
			fin(0, "tool_calls")},
		args:     map[string]string{"0/0": `{"a":1}`},
		finished: true,
	},
	{
		name: "argument-less call gets {} before the finish",
		events: []string{
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","id":"c1","name":"now"}]}}`,
			`{"finishReason":"tool_calls"}`,
		},
		want: []string{role(0),
			calls(0, `[{"index":0,"id":"c1","type":"function","function":{"name":"now","arguments":""}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"{}"}}]`),
			fin(0, "tool_calls")},
		args:     map[string]string{"0/0": `{}`},
		finished: true,
	},
	{
		name: "id repeated on fragments, name after an id-only header",
		events: []string{
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","id":"c1"}]}}`,
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","id":"c1","name":"f","arguments":"{\"x\":"}]}}`,
			`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","id":"c1","arguments":"2}"}]}}`,
			`{"finishReason":"tool_calls"}`,
		},
		want: []string{role(0),
			calls(0, `[{"index":0,"id":"c1","type":"function","function":{"arguments":""}}]`),
			calls(0, `[{"index":0,"function":{"name":"f","arguments":"{\"x\":"}}]`),
			calls(0, `[{"index":0,"function":{"arguments":"2}"}}]`),
			fin(0, "tool_calls")},
		args:     map[string]string{"0/0": `{"x":2}`},
		finished: true,
	},
	{
		name: "text then a tool call",
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Checking."}]}}`,
			`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"c1","name":"f","arguments":"{}"}]}}`,
			`{"finishReason":"tool_calls"}`,
		},
		want: []string{role(0), text(0, "Checking."),
			calls(0, `[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]`),
			fin(0, "tool_calls")},
		content:  map[int]string{0: "Checking."},
		args:     map[string]string{"0/0": `{}`},
		finished: true,
	},
	{
		name:         "n=2 interleaved, index-less finishes finish each choice in turn",
		includeUsage: true,
		events: []string{
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"A"}]}}`,
			`{"index":1,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"B"}]}}`,
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"a"}]}}`,
			`{"index":1,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"b"}]}}`,
			`{"finishReason":"stop"}`,
			`{"finishReason":"length"}`,
			`{"usage":{"completionTokens":4,"promptTokens":3,"totalTokens":7}}`,
		},
		want: []string{role(0), text(0, "A"), role(1), text(1, "B"), text(0, "a"), text(1, "b"),
			fin(0, "stop"), fin(1, "length"), usage(3, 4, 7)},
		content:  map[int]string{0: "Aa", 1: "Bb"},
		finished: true,
	},
	{
		name: "n=2 with indexed finishes and a single finish left to Close",
		events: []string{
			`{"index":1,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"B"}]}}`,
			`{"index":1,"finishReason":"stop"}`,
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"A"}]}}`,
			`{"index":1,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"late"}]}}`,
		},
		want:    []string{role(0), role(1), text(1, "B"), fin(1, "stop"), text(0, "A"), fin(0, "stop")},
		content: map[int]string{0: "A", 1: "B"},
	},
}

// chunkStream is the method set GenericStream, CohereStream and
// CohereV2Stream share.
type chunkStream interface {
	Start() hub.ChatChunk
	Event([]byte) ([]hub.ChatChunk, error)
	Finished() bool
	FinishSeen() bool
	Close() []hub.ChatChunk
}

var (
	_ chunkStream = (*GenericStream)(nil)
	_ chunkStream = (*CohereStream)(nil)
	_ chunkStream = (*CohereV2Stream)(nil)
)

// runStreamCase feeds tc.events to s and checks the chunks, Finished, a second Close and the accumulation.
func runStreamCase(t *testing.T, s chunkStream, tc streamCase) {
	t.Helper()
	chunks := []hub.ChatChunk{s.Start()}
	for _, ev := range tc.events {
		out, err := s.Event([]byte(ev))
		if err != nil {
			t.Fatalf("Event(%s): %v", ev, err)
		}
		chunks = append(chunks, out...)
	}
	if got := s.Finished(); got != tc.finished {
		t.Errorf("Finished() = %v, want %v", got, tc.finished)
	}
	chunks = append(chunks, s.Close()...)
	if again := s.Close(); again != nil {
		t.Errorf("second Close returned %d chunks", len(again))
	}
	if !s.FinishSeen() && tc.finished {
		t.Error("FinishSeen() = false")
	}
	var got []string
	for _, c := range chunks {
		got = append(got, project(t, c))
	}
	if len(got) != len(tc.want) {
		t.Errorf("got %d chunks, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
	} else {
		for i := range got {
			if w := projectWant(t, tc.want[i]); got[i] != w {
				t.Errorf("chunk %d\n got: %s\nwant: %s", i, got[i], w)
			}
		}
	}
	acc := checkStream(t, chunks, tc.includeUsage)
	for i, want := range tc.content {
		if acc.content[i] != want {
			t.Errorf("content[%d] = %q, want %q", i, acc.content[i], want)
		}
	}
	if len(acc.args) != len(tc.args) {
		t.Errorf("tool calls %v, want %v", acc.args, tc.args)
	}
	for k, want := range tc.args {
		if acc.args[k] != want {
			t.Errorf("arguments[%s] = %q, want %q", k, acc.args[k], want)
		}
	}
}

func TestGenericStream(t *testing.T) {
	for _, tc := range streamCases {
		t.Run(tc.name, func(t *testing.T) {
			runStreamCase(t, NewGenericStream(streamID, "m", 1700000000, tc.includeUsage), tc)
		})
	}
}

// project renders a chunk as its single choice, or "usage:{…}" for the usage chunk.
func project(t *testing.T, c hub.ChatChunk) string {
	t.Helper()
	if len(c.Choices) == 0 {
		return "usage:" + canon(t, mustJSON(t, c.Usage))
	}
	if len(c.Choices) != 1 {
		t.Fatalf("chunk with %d choices", len(c.Choices))
	}
	return canon(t, mustJSON(t, c.Choices[0]))
}

func projectWant(t *testing.T, w string) string {
	if rest, ok := strings.CutPrefix(w, "usage:"); ok {
		return "usage:" + canon(t, []byte(rest))
	}
	return canon(t, []byte(w))
}

type accumulated struct {
	content, reasoning map[int]string
	args, names, ids   map[string]string
	finish             map[int]string
}

// checkStream asserts the invariants every translated stream must keep and
// accumulates the deltas the way OpenAI SDKs do.
func checkStream(t *testing.T, chunks []hub.ChatChunk, includeUsage bool) accumulated {
	t.Helper()
	acc := accumulated{map[int]string{}, map[int]string{}, map[string]string{}, map[string]string{}, map[string]string{}, map[int]string{}}
	for n, c := range chunks {
		raw := mustJSON(t, c)
		if c.ID != streamID || c.Object != "chat.completion.chunk" || c.Created != 1700000000 || c.Model != "m" {
			t.Errorf("chunk %d envelope: %s", n, raw)
		}
		if len(c.Choices) == 0 {
			if !includeUsage || n != len(chunks)-1 || c.Usage == nil || !strings.Contains(string(raw), `"choices":[]`) {
				t.Errorf("unexpected usage chunk %d of %d: %s", n, len(chunks), raw)
			}
			continue
		}
		if c.Usage != nil {
			t.Errorf("chunk %d carries usage next to choices: %s", n, raw)
		}
		ch := c.Choices[0]
		if _, done := acc.finish[ch.Index]; done {
			t.Errorf("chunk %d for choice %d after its finish chunk: %s", n, ch.Index, raw)
		}
		if ch.FinishReason != nil {
			acc.finish[ch.Index] = *ch.FinishReason
		}
		d := ch.Delta
		if d.Content != nil {
			acc.content[ch.Index] += *d.Content
		}
		if d.ReasoningContent != nil {
			acc.reasoning[ch.Index] += *d.ReasoningContent
		}
		for _, tc := range d.ToolCalls {
			k := fmt.Sprintf("%d/%d", ch.Index, tc.Index)
			if _, seen := acc.ids[k]; !seen {
				if tc.ID == "" || tc.Type != "function" {
					t.Errorf("first fragment of %s lacks id/type: %s", k, raw)
				}
				acc.ids[k] = tc.ID
			} else if tc.ID != "" || tc.Type != "" {
				t.Errorf("later fragment of %s repeats id/type: %s", k, raw)
			}
			acc.names[k] += tc.Function.Name
			acc.args[k] += tc.Function.Arguments
		}
	}
	if includeUsage && (len(chunks) == 0 || len(chunks[len(chunks)-1].Choices) != 0) {
		t.Error("usage chunk missing or not last")
	}
	for k, a := range acc.args {
		if !json.Valid([]byte(a)) {
			t.Errorf("arguments of %s are not JSON: %q", k, a)
		}
		if acc.names[k] == "" {
			t.Errorf("tool call %s has no name", k)
		}
	}
	for i := range acc.content {
		if _, ok := acc.finish[i]; !ok {
			t.Errorf("choice %d has no finish chunk", i)
		}
	}
	return acc
}

func TestGenericStreamFinishedWaitsForUsage(t *testing.T) {
	s := NewGenericStream(streamID, "m", 1, true)
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

func TestGenericStreamExpectChoices(t *testing.T) {
	s := NewGenericStream(streamID, "m", 1, false)
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

func mustEvent(t *testing.T, s *GenericStream, ev string) []hub.ChatChunk {
	t.Helper()
	out, err := s.Event([]byte(ev))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenericStreamWithoutStart(t *testing.T) {
	s := NewGenericStream(streamID, "m", 1700000000, false)
	chunks := mustEvent(t, s, `{"index":0,"message":{"content":[{"type":"TEXT","text":"x"}]}}`)
	chunks = append(chunks, s.Close()...)
	want := []string{role(0), text(0, "x"), fin(0, "stop")}
	if len(chunks) != len(want) {
		t.Fatalf("got %d chunks", len(chunks))
	}
	for i := range want {
		if g, w := project(t, chunks[i]), projectWant(t, want[i]); g != w {
			t.Errorf("chunk %d: %s, want %s", i, g, w)
		}
	}
	// Close on an empty stream still yields role + finish (+ usage).
	s = NewGenericStream(streamID, "m", 1700000000, true)
	chunks = s.Close()
	if len(chunks) != 3 || project(t, chunks[1]) != projectWant(t, fin(0, "stop")) || len(chunks[2].Choices) != 0 {
		t.Errorf("empty stream: %s", mustJSON(t, chunks))
	}
	if out, _ := s.Event([]byte(`{"finishReason":"stop"}`)); out != nil {
		t.Error("events after Close produce chunks")
	}
}

func TestGenericStreamErrors(t *testing.T) {
	s := NewGenericStream(streamID, "m", 1, false)
	for _, ev := range []string{"", "  ", "[DONE]", `{"pad":"aaaa"}`, `{}`} {
		out, err := s.Event([]byte(ev))
		if err != nil || out != nil {
			t.Errorf("Event(%q) = %v, %v; want nothing", ev, out, err)
		}
	}
	if _, err := s.Event([]byte(`{"index":0,"message":`)); err == nil {
		t.Error("truncated JSON: no error")
	}
	var ue *UpstreamError
	_, err := s.Event([]byte(`{"code":"InternalServerError","message":"boom"}`))
	if !errors.As(err, &ue) || ue.Code != "InternalServerError" || ue.Message != "boom" {
		t.Errorf("error event: %v", err)
	}
	_, err = s.Event([]byte(`{"errorMessage":"model overloaded"}`))
	if !errors.As(err, &ue) || ue.Message != "model overloaded" {
		t.Errorf("errorMessage event: %v", err)
	}
}

func TestGenericStreamLogprobs(t *testing.T) {
	s := NewGenericStream(streamID, "m", 1, false)
	out := mustEvent(t, s, `{"index":0,"message":{"content":[{"type":"TEXT","text":"Hi"}]},"logprobs":{"tokens":["Hi"],"tokenLogprobs":[-0.25]}}`)
	if len(out) != 2 {
		t.Fatalf("got %d chunks", len(out))
	}
	assertJSON(t, out[1].Choices[0], `{"index":0,"delta":{"content":"Hi"},"finish_reason":null,
		"logprobs":{"content":[{"token":"Hi","logprob":-0.25,"bytes":[72,105],"top_logprobs":[]}],"refusal":null}}`)
}
