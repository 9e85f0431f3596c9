package ocitest

import "github.com/ociai/ociai-proxy/hub"

// Keep returns deep copies of chunks, which a stream reuses from one event to the next (core.Assembler.Apply):
// tests that look at the chunks of several events keep them with this.
func Keep(chunks []hub.ChatChunk) []hub.ChatChunk {
	out := make([]hub.ChatChunk, len(chunks))
	for i, ch := range chunks {
		ch.Choices = append([]hub.ChunkChoice{}, ch.Choices...)
		for j := range ch.Choices {
			d := &ch.Choices[j].Delta
			d.Content, d.ReasoningContent, d.Refusal = keepString(d.Content), keepString(d.ReasoningContent), keepString(d.Refusal)
			if d.ToolCalls != nil {
				d.ToolCalls = append([]hub.ToolCallDelta{}, d.ToolCalls...)
			}
		}
		out[i] = ch
	}
	return out
}

func keepString(p *string) *string {
	if p == nil {
		return nil
	}
	s := *p
	return &s
}
