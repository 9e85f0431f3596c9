package anthropic

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

// FuzzRequest decodes arbitrary bodies as Messages and count_tokens requests: a client mistake is a hub error
// (answered with a 400), never a panic, and whatever converts counts at least one token.
func FuzzRequest(f *testing.F) {
	if data, err := os.ReadFile("testdata/claude-code-2.1.328-request.json"); err == nil {
		f.Add(data)
	}
	for _, s := range []string{
		`{"model":"m","max_tokens":10,"system":[{"type":"text","text":"s"}],"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"x"}},{"type":"document","source":{"type":"content","content":[{"type":"text","text":"d"}]}}]},
			{"role":"assistant","content":[{"type":"thinking","thinking":"t"},{"type":"tool_use","id":"a","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","is_error":true,"content":[{"type":"tool_reference","tool_name":"g"}]}]}],
			"tools":[{"name":"f","input_schema":{}},{"name":"g","defer_loading":true},{"type":"web_search_20250305","name":"w"}],"tool_choice":{"type":"any","disable_parallel_tool_use":true},"thinking":{"type":"enabled","budget_tokens":5000},"output_config":{"effort":"max","format":{"type":"json_schema","schema":{}}}}`,
		`{"model":"m","max_tokens":-1,"messages":[{"role":"tool","content":7}]}`,
		`{"messages":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, reply, err := MessagesAPI{}.DecodeChat(body)
		var he *hub.Error
		var re *hub.RequestError
		switch {
		case err != nil && !errors.As(err, &he) && !errors.As(err, &re):
			t.Fatalf("error %v (%T) is not a hub error", err, err)
		case err == nil && (c == nil || reply == nil || len(c.Messages) == 0 || c.MaxTokens == nil || *c.MaxTokens < 1):
			t.Fatalf("accepted %q as %+v", body, c)
		}
		if _, answer, err := (MessagesAPI{}).CountInputTokens(body); err == nil && answer.(map[string]int)["input_tokens"] < 1 {
			t.Fatalf("count %v for %q", answer, body)
		}
	})
}

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
