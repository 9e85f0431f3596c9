package hub_test

import (
	"sort"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/internal/jsontest"
)

func TestChunksFromCompletionSequence(t *testing.T) {
	c := jsontest.Decode[hub.ChatCompletion](t, `{"id":"chatcmpl-x","object":"chat.completion","created":7,"model":"m","choices":[{"index":0,
		"message":{"role":"assistant","content":"Hi","reasoning_content":"hmm","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},
		"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}`)
	const env = `"id":"chatcmpl-x","object":"chat.completion.chunk","created":7,"model":"m"`
	want := []string{
		`{` + env + `,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"logprobs":null}]}`,
		`{` + env + `,"choices":[{"index":0,"delta":{"reasoning_content":"hmm"},"finish_reason":null,"logprobs":null}]}`,
		`{` + env + `,"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null,"logprobs":null}]}`,
		`{` + env + `,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},"finish_reason":null,"logprobs":null}]}`,
		`{` + env + `,"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls","logprobs":null}]}`,
		`{` + env + `,"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}`,
	}
	got := hub.ChunksFromCompletion(c, true)
	if len(got) != len(want) {
		t.Fatalf("got %d chunks: %s", len(got), jsontest.Marshal(t, got))
	}
	for i := range want {
		jsontest.Assert(t, got[i], want[i])
	}
	if n := len(hub.ChunksFromCompletion(c, false)); n != len(want)-1 {
		t.Errorf("without usage: %d chunks", n)
	}
	if hub.ChunksFromCompletion(nil, true) != nil {
		t.Error("nil completion")
	}
}

// TestChunksFromCompletionRoundTrip accumulates the synthesized stream the
// way SDKs do and expects the original choices back.
func TestChunksFromCompletionRoundTrip(t *testing.T) {
	c := jsontest.Decode[hub.ChatCompletion](t, `{"id":"chatcmpl-rt","object":"chat.completion","created":9,"model":"m","choices":[
		{"index":0,"message":{"role":"assistant","content":"Hello there","reasoning_content":"greet","refusal":null},"finish_reason":"stop",
		 "logprobs":{"content":[{"token":"Hello","logprob":-0.1,"bytes":[72,101,108,108,111],"top_logprobs":[]},{"token":" there","logprob":-0.2,"bytes":[32,116,104,101,114,101],"top_logprobs":[]}],"refusal":null}},
		{"index":1,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}},
		 {"id":"call_b","type":"function","function":{"name":"g","arguments":"{\"x\":[1,2]}"}}],"refusal":null},"finish_reason":"tool_calls"},
		{"index":2,"message":{"role":"assistant","content":null,"refusal":"no"},"finish_reason":"content_filter"},
		{"index":3,"message":{"role":"assistant","content":"","refusal":null},"finish_reason":"length"}],
		"usage":{"prompt_tokens":10,"completion_tokens":20,"total_tokens":30}}`)

	chunks := hub.ChunksFromCompletion(c, true)
	last := chunks[len(chunks)-1]
	if len(last.Choices) != 0 || last.Usage == nil || *last.Usage != *c.Usage {
		t.Fatalf("usage chunk: %s", jsontest.Marshal(t, last))
	}
	got := accumulateChoices(t, chunks[:len(chunks)-1])
	jsontest.Assert(t, got, string(jsontest.Marshal(t, normalize(c.Choices))))
}

func normalize(cs []hub.Choice) []hub.Choice {
	out := append([]hub.Choice(nil), cs...)
	for i := range out {
		if p := out[i].Message.Content; p != nil && *p == "" {
			out[i].Message.Content = nil // a stream cannot tell null from ""
		}
	}
	return out
}

func accumulateChoices(t *testing.T, chunks []hub.ChatChunk) []hub.Choice {
	t.Helper()
	byIndex := map[int]*hub.Choice{}
	finishes := map[int]int{}
	for _, ch := range chunks {
		if len(ch.Choices) != 1 {
			t.Fatalf("chunk with %d choices", len(ch.Choices))
		}
		cc := ch.Choices[0]
		c := byIndex[cc.Index]
		if c == nil {
			c = &hub.Choice{Index: cc.Index}
			byIndex[cc.Index] = c
		}
		d := cc.Delta
		if d.Role != "" {
			c.Message.Role = d.Role
		}
		if d.Content != nil && *d.Content != "" {
			s := ""
			if c.Message.Content != nil {
				s = *c.Message.Content
			}
			s += *d.Content
			c.Message.Content = &s
		}
		if d.ReasoningContent != nil {
			c.Message.ReasoningContent += *d.ReasoningContent
		}
		if d.Refusal != nil {
			s := *d.Refusal
			if c.Message.Refusal != nil {
				s = *c.Message.Refusal + s
			}
			c.Message.Refusal = &s
		}
		for _, tc := range d.ToolCalls {
			if tc.Index == len(c.Message.ToolCalls) {
				c.Message.ToolCalls = append(c.Message.ToolCalls, hub.ToolCall{ID: tc.ID, Type: tc.Type})
			}
			call := &c.Message.ToolCalls[tc.Index]
			call.Function.Name += tc.Function.Name
			call.Function.Arguments += tc.Function.Arguments
		}
		if cc.Logprobs != nil {
			c.Logprobs = cc.Logprobs
		}
		if cc.FinishReason != nil {
			c.FinishReason = *cc.FinishReason
			finishes[cc.Index]++
		}
	}
	var out []hub.Choice
	for i, c := range byIndex {
		if finishes[i] != 1 {
			t.Errorf("choice %d: %d finish chunks", i, finishes[i])
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Index < out[b].Index })
	return out
}
