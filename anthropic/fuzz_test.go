package anthropic

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

// FuzzStream feeds arbitrary hub chunks (JSON, one per line) to a reply: whatever they hold, the events keep
// Anthropic's grammar and the official SDK accumulates them without error.
func FuzzStream(f *testing.F) {
	f.Add([]byte(`{"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}
{"choices":[{"index":0,"delta":{"reasoning_content":"r","content":"a","tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":"{"}}]}}]}
{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"d","function":{"name":"g"}},{"index":0,"function":{"arguments":"}"}}]}}]}
{"choices":[{"index":1,"delta":{"content":"other choice"}}]}
{"choices":[{"index":0,"delta":{"refusal":"no","content":"b"},"finish_reason":"length"}]}
{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":1}}}`), true)
	f.Fuzz(func(t *testing.T, data []byte, show bool) {
		r := newReply(&Request{Thinking: map[bool]*Thinking{true: nil, false: {Type: "disabled"}}[show]})
		var buf bytes.Buffer
		for _, line := range strings.Split(string(data), "\n") {
			var ch hub.ChatChunk
			if json.Unmarshal([]byte(line), &ch) != nil {
				continue
			}
			if err := r.Chunk(&buf, &ch); err != nil {
				t.Fatal(err)
			}
		}
		r.End(&buf)
		var m struct {
			Content []struct {
				Type  string          `json:"type"`
				Input json.RawMessage `json:"input"`
			} `json:"content"`
		}
		if err := json.Unmarshal([]byte(accumulate(t, buf.String())), &m); err != nil {
			t.Fatal(err)
		}
		for _, b := range m.Content {
			if b.Type == "thinking" && !show {
				t.Fatal("thinking shown")
			}
		}
	})
}
