package anthropic

import (
	"bytes"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/openai"
)

// BenchmarkTextDelta is the per-event cost of a streamed text token, beside the chat completions reply's.
func BenchmarkTextDelta(b *testing.B) {
	text := "token "
	ch := hub.ChatChunk{ID: "chatcmpl-1", Object: "chat.completion.chunk", Created: 1, Model: "m",
		Choices: []hub.ChunkChoice{{Delta: hub.Delta{Content: &text}}}}
	_, chat, _ := openai.ChatAPI{}.DecodeChat([]byte(`{"model":"m","messages":[{"role":"user","content":"x"}]}`))
	_, msgs, _ := MessagesAPI{}.DecodeChat([]byte(`{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"x"}]}`))
	for name, r := range map[string]hub.Reply{"chat": chat, "messages": msgs} {
		b.Run(name, func(b *testing.B) {
			var buf bytes.Buffer
			_ = r.Chunk(&buf, &ch) // message_start and the text block's start
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				_ = r.Chunk(&buf, &ch)
			}
		})
	}
}
