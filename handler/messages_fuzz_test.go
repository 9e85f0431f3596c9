package handler_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
)

// messagesSeeds are Messages requests of each kind: what Claude Code sends, tools and results, images,
// thinking, every model family, and mistakes.
var messagesSeeds = []string{
	`{"model":"llama","max_tokens":50,"stream":true,"system":"Be brief.","messages":[{"role":"user","content":"Hi"}]}`,
	`{"model":"grok","max_tokens":50,"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],"tool_choice":{"type":"any","disable_parallel_tool_use":true},
		"messages":[{"role":"user","content":"Use get_weather for Paris"},{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":""},{"type":"tool_use","id":"c1","name":"get_weather","input":{"city":"Paris"}}]},
		{"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","content":[{"type":"text","text":"sunny"},{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]},{"type":"text","text":"so?"}]}]}`,
	`{"model":"command-a-vision","max_tokens":50,"stream":true,"stop_sequences":["said"],"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},{"type":"text","text":"What?"}]}]}`,
	`{"model":"command-a","max_tokens":50,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}}]}]}`,
	`{"model":"gpt-oss","max_tokens":500,"stream":true,"thinking":{"type":"enabled","budget_tokens":2048},"output_config":{"effort":"max","format":{"type":"json_schema","schema":{"type":"object"}}},"messages":[{"role":"user","content":"Think"}]}`,
	`{"model":"gemini","max_tokens":0,"messages":[{"role":"system","content":"s"},{"role":"user","content":"x"}],"mcp_servers":[]}`,
	`{"model":"embed","max_tokens":5,"messages":[{"role":"user","content":"x"}]}`,
	`{"model":"llama","messages":[{"role":"tool","content":7}]}`,
}

// FuzzMessagesRequest posts arbitrary bytes as a Messages body, like FuzzChatRequest: no 5xx, and every answer
// is a message, a well-formed Anthropic event stream, or Anthropic's error envelope. The same body to
// count_tokens is never a 5xx and never counts 0 tokens.
func FuzzMessagesRequest(f *testing.F) {
	for _, s := range messagesSeeds {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile("../anthropic/testdata/claude-code-2.1.328-request.json"); err == nil {
		f.Add([]byte(strings.Replace(string(b), `"grok-4"`, `"grok"`, 1)))
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		count := post(h, "/v1/messages/count_tokens", body)
		var n struct {
			InputTokens int `json:"input_tokens"`
		}
		if count.Code >= 500 || count.Code == 200 && (json.Unmarshal(count.Body.Bytes(), &n) != nil || n.InputTokens < 1) {
			t.Fatalf("count_tokens %d for %q: %s", count.Code, body, count.Body.Bytes())
		}
		rec := post(h, "/v1/messages", body)
		out := rec.Body.Bytes()
		switch {
		case rec.Code >= 500:
			t.Fatalf("status %d for %q: %s", rec.Code, body, out)
		case rec.Code != http.StatusOK:
			var e struct {
				Type  string `json:"type"`
				Error *struct{ Type, Message string }
			}
			if json.Unmarshal(out, &e) != nil || e.Type != "error" || e.Error == nil || e.Error.Type == "" || e.Error.Message == "" {
				t.Fatalf("status %d without an Anthropic error body: %s", rec.Code, out)
			}
		case strings.HasPrefix(rec.Header().Get("Content-Type"), "text/event-stream"):
			checkAnthropicStream(t, out)
		default:
			var m struct {
				Type       string `json:"type"`
				StopReason string `json:"stop_reason"`
			}
			if json.Unmarshal(out, &m) != nil || m.Type != "message" || m.StopReason == "" {
				t.Fatalf("200 that is not a message: %s", out)
			}
		}
	})
}

// checkAnthropicStream checks a whole Anthropic SSE body: every event named, its data JSON of that type, first
// message_start, last message_stop or error.
func checkAnthropicStream(t *testing.T, out []byte) {
	t.Helper()
	blocks := strings.Split(strings.TrimSuffix(string(out), "\n\n"), "\n\n")
	for i, b := range blocks {
		name, data, ok := strings.Cut(strings.TrimPrefix(b, "event: "), "\ndata: ")
		var ev struct{ Type string }
		if !ok || !strings.HasPrefix(b, "event: ") || json.Unmarshal([]byte(data), &ev) != nil || ev.Type != name {
			t.Fatalf("block %d is not a named event with its data: %q", i, b)
		}
		if (i == 0 && name != "message_start") || (i == len(blocks)-1 && name != "message_stop" && name != "error") {
			t.Fatalf("stream does not start with message_start and end with message_stop or error: %s", out)
		}
	}
}
