package anthropic

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

func TestCountTokens(t *testing.T) {
	if n := countTokens(&hub.ChatRequest{}); n != 1 {
		t.Errorf("nothing counts %d tokens, want 1 (never 0)", n)
	}
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 1 0 obj <</Type /Pages /Count 2>> 2 0 obj <</Type /Page>> 3 0 obj <</Type/Page>>"))
	for _, tc := range []struct {
		in   string
		want int
	}{
		// 3 per message; "12345678" is 2 tokens, "你好" (6 bytes) 2.
		{`{"model":"m","messages":[{"role":"user","content":"12345678"},{"role":"assistant","content":"你好"}]}`, 3 + 2 + 3 + 2},
		// The billing header is not sent, so not counted: system "abcd" (1) + message.
		{`{"model":"m","system":[{"type":"text","text":"x-anthropic-billing-header: a=b"},{"type":"text","text":"abcd"}],"messages":[{"role":"user","content":"abcd"}]}`, 3 + 1 + 3 + 1},
		{`{"model":"m","messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}`, 3 + 1600},
		{`{"model":"m","messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"` + pdf + `"}}]}]}`, 3 + 2*2000},
		// A tool: 3 + name "f" (1) + description "abcde" (2) + schema {"type":"object"} (17 bytes: 5); the deferred one is not sent.
		{`{"model":"m","messages":[{"role":"user","content":"abcd"}],"tools":[{"name":"f","description":"abcde","input_schema":{"type":"object"}},{"name":"g","defer_loading":true,"input_schema":{"type":"object"}}]}`, 3 + 1 + 3 + 1 + 2 + 5},
		// A call: name "fn" (1) + arguments {"a":1} (2); its result "ok" (1).
		{`{"model":"m","messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"fn","input":{"a":1}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"ok"}]}]}`, 3 + 1 + 2 + 3 + 1},
	} {
		var r Request
		if err := json.Unmarshal([]byte(tc.in), &r); err != nil {
			t.Fatal(err)
		}
		one := 1
		r.MaxTokens = &one // count_tokens requests have none
		c, err := convert(&r)
		if err != nil {
			t.Fatal(err)
		}
		if got := countTokens(c); got != tc.want {
			t.Errorf("%s: %d tokens, want %d", tc.in, got, tc.want)
		}
	}
}
