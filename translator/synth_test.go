package translator

import (
	"sort"
	"testing"
)

func TestChunksFromCompletionSequence(t *testing.T) {
	c := CompletionFromGeneric(decodeResult(t, `{"chatResponse":{"apiFormat":"GENERIC","choices":[{"index":0,"message":{"role":"ASSISTANT",
		"content":[{"type":"TEXT","text":"Hi"}],"reasoningContent":"hmm","toolCalls":[{"type":"FUNCTION","id":"c1","name":"f","arguments":"{\"a\":1}"}]},"finishReason":"tool_calls"}],
		"usage":{"promptTokens":3,"completionTokens":2,"totalTokens":5}}}`), "chatcmpl-x", "m", 7)
	const env = `"id":"chatcmpl-x","object":"chat.completion.chunk","created":7,"model":"m"`
	want := []string{
		`{` + env + `,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"logprobs":null}]}`,
		`{` + env + `,"choices":[{"index":0,"delta":{"reasoning_content":"hmm"},"finish_reason":null,"logprobs":null}]}`,
		`{` + env + `,"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null,"logprobs":null}]}`,
		`{` + env + `,"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},"finish_reason":null,"logprobs":null}]}`,
		`{` + env + `,"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls","logprobs":null}]}`,
		`{` + env + `,"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}`,
	}
	got := ChunksFromCompletion(c, true)
	if len(got) != len(want) {
		t.Fatalf("got %d chunks: %s", len(got), mustJSON(t, got))
	}
	for i := range want {
		assertJSON(t, got[i], want[i])
	}
	if n := len(ChunksFromCompletion(c, false)); n != len(want)-1 {
		t.Errorf("without usage: %d chunks", n)
	}
	if ChunksFromCompletion(nil, true) != nil {
		t.Error("nil completion")
	}
}

// TestChunksFromCompletionRoundTrip accumulates the synthesized stream the
// way SDKs do and expects the original choices back.
func TestChunksFromCompletionRoundTrip(t *testing.T) {
	c := CompletionFromGeneric(decodeResult(t, `{"chatResponse":{"apiFormat":"GENERIC","choices":[
		{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hello "},{"type":"TEXT","text":"there"}],"reasoningContent":"greet"},"finishReason":"stop",
		 "logprobs":{"tokens":["Hello"," there"],"tokenLogprobs":[-0.1,-0.2]}},
		{"index":1,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"a","name":"f","arguments":"{}"},{"type":"FUNCTION","name":"g","arguments":"{\"x\":[1,2]}"}]},"finishReason":"stop"},
		{"index":2,"message":{"role":"ASSISTANT","refusal":"no"},"finishReason":"content_filter"},
		{"index":3,"finishReason":"length"}],
		"usage":{"promptTokens":10,"completionTokens":20}}}`), "chatcmpl-rt", "m", 9)

	chunks := ChunksFromCompletion(c, true)
	last := chunks[len(chunks)-1]
	if len(last.Choices) != 0 || last.Usage == nil || *last.Usage != *c.Usage {
		t.Fatalf("usage chunk: %s", mustJSON(t, last))
	}
	got := accumulateChoices(t, chunks[:len(chunks)-1])
	assertJSON(t, got, string(mustJSON(t, normalize(c.Choices))))
}

func normalize(cs []Choice) []Choice {
	out := append([]Choice(nil), cs...)
	for i := range out {
		if p := out[i].Message.Content; p != nil && *p == "" {
			out[i].Message.Content = nil // a stream cannot tell null from ""
		}
	}
	return out
}

func accumulateChoices(t *testing.T, chunks []ChatChunk) []Choice {
	t.Helper()
	byIndex := map[int]*Choice{}
	finishes := map[int]int{}
	for _, ch := range chunks {
		if len(ch.Choices) != 1 {
			t.Fatalf("chunk with %d choices", len(ch.Choices))
		}
		cc := ch.Choices[0]
		c := byIndex[cc.Index]
		if c == nil {
			c = &Choice{Index: cc.Index}
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
				c.Message.ToolCalls = append(c.Message.ToolCalls, ToolCall{ID: tc.ID, Type: tc.Type})
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
	var out []Choice
	for i, c := range byIndex {
		if finishes[i] != 1 {
			t.Errorf("choice %d: %d finish chunks", i, finishes[i])
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Index < out[b].Index })
	return out
}
