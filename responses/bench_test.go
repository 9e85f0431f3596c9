package responses

import (
	"bytes"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/openai"
)

// BenchmarkPath: one short streamed answer, decoded and encoded by the Responses API and by chat completions
// (the translation each client API adds on top of the shared pipeline).
func BenchmarkPath(b *testing.B) {
	body := []byte(`{"model":"llama","input":"Hello there, how are you today?","stream":true}`)
	chatBody := []byte(`{"model":"llama","stream":true,"messages":[{"role":"user","content":"Hello there, how are you today?"}]}`)
	text := "Hello from meta.llama-3.3-70b-instruct! You said: Hello there, how are you today?"
	comp := &hub.ChatCompletion{ID: "c", Choices: []hub.Choice{{Message: hub.ResponseMessage{Role: "assistant", Content: &text}, FinishReason: "stop"}}, Usage: &hub.Usage{PromptTokens: 6, CompletionTokens: 11, TotalTokens: 17}}
	chunks := hub.ChunksFromCompletion(comp, true)
	s := NewSealer(func() []byte { return []byte("k") })
	b.Run("responses", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			_, rep, _ := API{Sealer: s}.DecodeChat(body)
			buf.Reset()
			for i := range chunks {
				_ = rep.Chunk(&buf, &chunks[i])
			}
			rep.End(&buf)
		}
	})
	b.Run("chat", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			_, rep, _ := openai.ChatAPI{}.DecodeChat(chatBody)
			buf.Reset()
			for i := range chunks {
				_ = rep.Chunk(&buf, &chunks[i])
			}
			rep.End(&buf)
		}
	})
}
