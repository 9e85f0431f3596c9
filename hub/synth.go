package hub

// ChunksFromCompletion synthesizes the chunk sequence OpenAI would have
// streamed for c (used when the upstream call is made non-streaming): per
// choice a role chunk, a reasoning chunk, a content chunk, one chunk per tool
// call, and the finish chunk; then the usage chunk ("choices":[]) when
// includeUsage. Accumulating the deltas reproduces c. Strings are aliased.
func ChunksFromCompletion(c *ChatCompletion, includeUsage bool) []ChatChunk {
	if c == nil {
		return nil
	}
	n := 0
	for i := range c.Choices {
		m := &c.Choices[i].Message
		n += 2 + len(m.ToolCalls)
		if m.ReasoningContent != "" {
			n++
		}
		if m.Content != nil && *m.Content != "" {
			n++
		}
		if m.Refusal != nil && *m.Refusal != "" {
			n++
		}
	}
	cc := make([]ChunkChoice, 0, n)
	var tcs []ToolCallDelta
	for i := range c.Choices {
		ch := &c.Choices[i]
		m := &ch.Message
		cc = append(cc, OpeningChoice(ch.Index))
		if m.ReasoningContent != "" {
			cc = append(cc, ChunkChoice{Index: ch.Index, Delta: Delta{ReasoningContent: &m.ReasoningContent}})
		}
		if m.Content != nil && *m.Content != "" {
			cc = append(cc, ChunkChoice{Index: ch.Index, Delta: Delta{Content: m.Content}, Logprobs: ch.Logprobs})
		}
		if m.Refusal != nil && *m.Refusal != "" {
			cc = append(cc, ChunkChoice{Index: ch.Index, Delta: Delta{Refusal: m.Refusal}})
		}
		if len(m.ToolCalls) > 0 {
			if tcs == nil {
				tcs = make([]ToolCallDelta, 0, n)
			}
			for k := range m.ToolCalls {
				tc := &m.ToolCalls[k]
				typ := tc.Type
				if typ == "" {
					typ = TypeFunction
				}
				tcs = append(tcs, ToolCallDelta{Index: k, ID: tc.ID, Type: typ, Function: FunctionDelta{Name: tc.Function.Name, Arguments: tc.Function.Arguments}})
				cc = append(cc, ChunkChoice{Index: ch.Index, Delta: Delta{ToolCalls: tcs[len(tcs)-1 : len(tcs) : len(tcs)]}})
			}
		}
		fr := &ch.FinishReason
		if *fr == "" {
			fr = &reasonStop
		}
		cc = append(cc, ChunkChoice{Index: ch.Index, FinishReason: fr, NativeFinishReason: ch.NativeFinishReason})
	}
	out := make([]ChatChunk, len(cc), len(cc)+1)
	for i := range cc {
		out[i] = ChatChunk{ID: c.ID, Object: ObjectChunk, Created: c.Created, Model: c.Model, Choices: cc[i : i+1 : i+1]}
	}
	if includeUsage {
		u := c.Usage
		if u == nil {
			u = &Usage{}
		}
		out = append(out, ChatChunk{ID: c.ID, Object: ObjectChunk, Created: c.Created, Model: c.Model, Choices: []ChunkChoice{}, Usage: u})
	}
	return out
}
