package anthropic

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

// convertJSON decodes an Anthropic request and returns the hub request as JSON.
func convertJSON(t *testing.T, in string) (string, error) {
	t.Helper()
	var r Request
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		return "", err
	}
	c, err := convert(&r)
	if err != nil {
		return "", err
	}
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if c.ReasoningEffortHint != "" { // not part of the wire format: shown under its own name
		var m map[string]any
		_ = json.Unmarshal(out, &m)
		m["reasoning_effort_hint"] = c.ReasoningEffortHint
		out, _ = json.Marshal(m)
	}
	return string(out), nil
}

// sameJSON compares two JSON texts by value.
func sameJSON(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("got invalid JSON %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want invalid JSON %s: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestConvert(t *testing.T) {
	const text = `{"role":"user","content":[{"type":"text","text":"hi"}]}`
	for _, tc := range []struct{ name, in, want string }{
		{"string content and system", `{"model":"m","max_tokens":100,"system":"Be brief.","messages":[{"role":"user","content":"hi"}]}`,
			`{"model":"m","max_tokens":100,"messages":[{"role":"system","content":"Be brief."},` + text + `]}`},
		{"stream asks for usage; sampling and stop sequences pass", `{"model":"m","max_tokens":5,"stream":true,"temperature":0.5,"top_p":0.9,"top_k":40,
			"stop_sequences":["END"],"metadata":{"user_id":"u"},"messages":[{"role":"user","content":"hi"}]}`,
			`{"model":"m","max_tokens":5,"stream":true,"stream_options":{"include_usage":true},"temperature":0.5,"top_p":0.9,"top_k":40,"stop":["END"],"messages":[` + text + `]}`},
		{"max_tokens 0 (cache pre-warming) asks for one token", `{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}`,
			`{"model":"m","max_tokens":1,"messages":[` + text + `]}`},
		{"system blocks and system messages join one leading system message; billing header and cache_control dropped",
			`{"model":"m","max_tokens":1,"cache_control":{"type":"ephemeral","ttl":"1h"},"context_management":{"edits":[{"type":"clear_thinking_20251015"}]},
			"system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1"},{"type":"text","text":"A","cache_control":{"type":"ephemeral","ttl":"5m","scope":"x"}},{"type":"text","text":""}],
			"messages":[{"role":"user","content":"hi"},{"role":"system","content":[{"type":"text","text":"B"}]},{"role":"system","content":"C"}]}`,
			`{"model":"m","max_tokens":1,"messages":[{"role":"system","content":"A\n\nB\n\nC"},` + text + `]}`},
		{"consecutive turns of one role merge; empty text blocks are dropped",
			`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"},{"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"b"}]},
			{"role":"assistant","content":"c"},{"role":"assistant","content":[{"type":"text","text":"d"}]}]}`,
			`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
			{"role":"assistant","content":[{"type":"text","text":"c"},{"type":"text","text":"d"}]}]}`},
		{"tool round trip: thinking, text and calls in one assistant turn; results first, then the user's text and tool images",
			`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"weather?"},
			{"role":"assistant","content":[{"type":"thinking","thinking":"need tools","signature":"sig"},{"type":"redacted_thinking","data":"xx"},{"type":"text","text":"Checking."},
				{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},{"type":"tool_use","id":"toolu_2","name":"now","input":{}}]},
			{"role":"user","content":[{"type":"text","text":"and hurry"},{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny","cache_control":{"type":"ephemeral"}},
				{"type":"tool_result","tool_use_id":"toolu_2","is_error":true,"content":[{"type":"text","text":"no clock"},{"type":"image","source":{"type":"url","url":"https://x/c.png"}}]}]}]}`,
			`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"weather?"}]},
			{"role":"assistant","content":[{"type":"text","text":"Checking."}],"reasoning_content":"need tools","tool_calls":[
				{"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"toolu_2","type":"function","function":{"name":"now","arguments":"{}"}}]},
			{"role":"tool","content":"sunny","tool_call_id":"toolu_1"},{"role":"tool","content":"Error: no clock","tool_call_id":"toolu_2"},
			{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/c.png"}},{"type":"text","text":"and hurry"}]}]}`},
		{"a tool_result with no content is an empty tool message; server tool blocks are left out",
			`{"model":"m","max_tokens":1,"messages":[{"role":"assistant","content":[{"type":"server_tool_use","id":"s","name":"web_search","input":{}},{"type":"tool_use","id":"t","name":"f"}]},
			{"role":"user","content":[{"type":"web_search_tool_result","tool_use_id":"s","content":[]},{"type":"tool_result","tool_use_id":"t"}]}]}`,
			`{"model":"m","max_tokens":1,"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{}"}}]},
			{"role":"tool","content":null,"tool_call_id":"t"}]}`},
		{"images: base64 to a data URL, URLs as they are",
			`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBO"}},
			{"type":"image","source":{"type":"url","url":"https://x/y.jpg"}},{"type":"text","text":"what?"}]}]}`,
			`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBO"}},
			{"type":"image_url","image_url":{"url":"https://x/y.jpg"}},{"type":"text","text":"what?"}]}]}`},
		{"documents: PDFs as files, text and content sources inline, search results as text",
			`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"document","title":"Doc","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}},
			{"type":"document","source":{"type":"text","media_type":"text/plain","data":"plain"},"context":"ctx"},
			{"type":"document","source":{"type":"content","content":[{"type":"text","text":"c1"}]}},
			{"type":"search_result","title":"T","source":"https://s","content":[{"type":"text","text":"found"}]}]}]}`,
			`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"Doc"},{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBE","filename":"document.pdf"}},
			{"type":"text","text":"ctx\n\nplain"},{"type":"text","text":"c1"},{"type":"text","text":"T\nhttps://s\nfound"}]}]}`},
		{"tools: input_schema as parameters; server tools dropped; deferred tools hidden; tool_choice any without parallel calls",
			`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"tools":[
			{"name":"Bash","description":"run","input_schema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"command":{"type":"string"}},"required":["command"],"additionalProperties":false},"cache_control":{"type":"ephemeral"}},
			{"type":"custom","name":"Other","input_schema":{"type":"object"}},
			{"type":"web_search_20250305","name":"web_search","max_uses":3},
			{"name":"DeferredToolPlaceholder","description":"never call","input_schema":{"type":"object"},"defer_loading":true}],
			"tool_choice":{"type":"any","disable_parallel_tool_use":true}}`,
			`{"model":"m","max_tokens":1,"messages":[` + text + `],"tools":[
			{"type":"function","function":{"name":"Bash","description":"run","parameters":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"command":{"type":"string"}},"required":["command"],"additionalProperties":false}}},
			{"type":"function","function":{"name":"Other","parameters":{"type":"object"}}}],"tool_choice":"required","parallel_tool_calls":false}`},
		{"a tool_reference loads a deferred tool", `{"model":"m","max_tokens":1,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"ToolSearch","input":{"q":"x"}}]},
			{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"tool_reference","tool_name":"Late"}]}]}],
			"tools":[{"name":"ToolSearch","input_schema":{"type":"object"}},{"name":"Late","input_schema":{"type":"object"},"defer_loading":true},{"name":"Hidden","input_schema":{"type":"object"},"defer_loading":true}],"tool_choice":{"type":"auto"}}`,
			`{"model":"m","max_tokens":1,"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"t","type":"function","function":{"name":"ToolSearch","arguments":"{\"q\":\"x\"}"}}]},
			{"role":"tool","content":"Tool Late loaded.","tool_call_id":"t"}],
			"tools":[{"type":"function","function":{"name":"ToolSearch","parameters":{"type":"object"}}},{"type":"function","function":{"name":"Late","parameters":{"type":"object"}}}],"tool_choice":"auto"}`},
		{"tool_choice tool forces a function, even a deferred one; none passes",
			`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":{"type":"object"},"defer_loading":true}],"tool_choice":{"type":"tool","name":"f"}}`,
			`{"model":"m","max_tokens":1,"messages":[` + text + `],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"tool_choice":{"type":"function","function":{"name":"f"}}}`},
		{"tool_choice without tools is dropped", `{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"none"}}`,
			`{"model":"m","max_tokens":1,"messages":[` + text + `]}`},
		{"output_config.effort wins over thinking; xhigh is high; format becomes a JSON schema",
			`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled","budget_tokens":2000},
			"output_config":{"effort":"xhigh","format":{"type":"json_schema","schema":{"type":"object"}}}}`,
			`{"model":"m","max_tokens":1,"messages":[` + text + `],"reasoning_effort_hint":"high","response_format":{"type":"json_schema","json_schema":{"name":"output","schema":{"type":"object"}}}}`},
		{"thinking budget to effort", `{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled","budget_tokens":8000}}`,
			`{"model":"m","max_tokens":1,"messages":[` + text + `],"reasoning_effort_hint":"medium"}`},
		{"adaptive thinking leaves the effort to the model", `{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"adaptive","display":"omitted"},"output_format":{"type":"json_schema","schema":{}}}`,
			`{"model":"m","max_tokens":1,"messages":[` + text + `],"response_format":{"type":"json_schema","json_schema":{"name":"output","schema":{}}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := convertJSON(t, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, got, tc.want)
		})
	}
}

func TestConvertErrors(t *testing.T) {
	const msgs = `"messages":[{"role":"user","content":"hi"}]`
	for _, tc := range []struct{ in, param, msg string }{
		{`{"model":"m",` + msgs + `}`, "max_tokens", "max_tokens: Field required"},
		{`{"model":"m","max_tokens":-1,` + msgs + `}`, "max_tokens", "greater than or equal to 0"},
		{`{"model":"m","max_tokens":1,"messages":[]}`, "messages", "at least one message"},
		{`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":""},{"role":"system","content":"s"}]}`, "messages", "no user or assistant message"},
		{`{"model":"m","max_tokens":1,"messages":[{"role":"tool","content":"x"}]}`, "messages.0.role", "'user', 'assistant' or 'system'"},
		{`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"video","source":{}}]}]}`, "messages.0.content.0.type", `"video"`},
		{`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"f"}}]}]}`, "messages.0.content.0.source.type", "Files API"},
		{`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","data":"x"}}]}]}`, "messages.0.content.0.source", "media_type"},
		{`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"text/csv","data":"x"}}]}]}`, "messages.0.content.0.source.media_type", "application/pdf"},
		{`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"tool_result","content":"x"}]}]}`, "messages.0.content.0.tool_use_id", "Field required"},
		{`{"model":"m","max_tokens":1,"messages":[{"role":"assistant","content":[{"type":"tool_use","name":"f"}]}]}`, "messages.0.content.0", "id and a name"},
		{`{"model":"m","max_tokens":1,"system":[{"type":"image"}],` + msgs + `}`, "system.0.type", "text blocks"},
		{`{"model":"m","max_tokens":1,"mcp_servers":[{"type":"url","url":"https://x"}],` + msgs + `}`, "mcp_servers", "MCP"},
		{`{"model":"m","max_tokens":1,"tools":[{"input_schema":{}}],` + msgs + `}`, "tools.0.name", "Field required"},
		{`{"model":"m","max_tokens":1,"tools":[{"name":"f","input_schema":[]}],` + msgs + `}`, "tools.0.input_schema", "object"},
		{`{"model":"m","max_tokens":1,"tool_choice":{"type":"any"},` + msgs + `}`, "tool_choice", "at least one client tool"},
		{`{"model":"m","max_tokens":1,"tools":[{"type":"web_search_20250305","name":"web_search"}],"tool_choice":{"type":"tool","name":"web_search"},` + msgs + `}`, "tool_choice.name", "server tool"},
		{`{"model":"m","max_tokens":1,"tools":[{"name":"f"}],"tool_choice":{"type":"tool","name":"g"},` + msgs + `}`, "tool_choice.name", "not in tools"},
		{`{"model":"m","max_tokens":1,"tool_choice":{"type":"some"},` + msgs + `}`, "tool_choice.type", "'auto'"},
		{`{"model":"m","max_tokens":1,"thinking":{"type":"enabled"},` + msgs + `}`, "thinking.budget_tokens", "Field required"},
		{`{"model":"m","max_tokens":1,"thinking":{"type":"maybe"},` + msgs + `}`, "thinking.type", "'enabled'"},
		{`{"model":"m","max_tokens":1,"output_config":{"effort":"extreme"},` + msgs + `}`, "output_config.effort", "'low'"},
		{`{"model":"m","max_tokens":1,"output_config":{"format":{"type":"regex"}},` + msgs + `}`, "output_config.format.type", "json_schema"},
	} {
		t.Run(tc.param, func(t *testing.T) {
			_, err := convertJSON(t, tc.in)
			var re *hub.RequestError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T), want a RequestError", err, err)
			}
			if re.Param != tc.param || !strings.Contains(re.Message, tc.msg) {
				t.Errorf("error %q (param %q), want param %q and %q", re.Message, re.Param, tc.param, tc.msg)
			}
		})
	}
}

func TestContentJSONTypes(t *testing.T) {
	for _, in := range []string{`{"messages":[{"role":"user","content":7}]}`, `{"system":{"a":1}}`} {
		var r Request
		var te *json.UnmarshalTypeError
		if err := json.Unmarshal([]byte(in), &r); !errors.As(err, &te) || !strings.Contains(te.Value, "expected string or array of content blocks") {
			t.Errorf("%s: error %v, want a type error naming what is expected", in, err)
		}
	}
}

// TestClaudeCodeRequest converts what Claude Code 2.1.328 really sent (testdata; long texts cut): nothing
// in it may be refused.
func TestClaudeCodeRequest(t *testing.T) {
	data, err := os.ReadFile("testdata/claude-code-2.1.328-request.json")
	if err != nil {
		t.Fatal(err)
	}
	var r Request
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	c, err := convert(&r)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Messages); n != 2 || c.Messages[0].Role != "system" || c.Messages[1].Role != "user" {
		t.Fatalf("messages %+v, want the joined system message and the user turn", c.Messages)
	}
	sys := c.Messages[0].Content.Text
	if strings.Contains(sys, billingHeader) || !strings.HasPrefix(sys, "You are a Claude agent") || !strings.HasSuffix(sys, "<9116 chars of text>") {
		t.Errorf("system message %q: want the system blocks then the system message, without the billing header", sys)
	}
	if len(c.Tools) != 11 || hasTool(c.Tools, "DeferredToolPlaceholder") {
		t.Errorf("%d tools, want the 11 not deferred", len(c.Tools))
	}
	if !c.Stream || c.MaxTokens == nil || *c.MaxTokens != 32000 || c.ReasoningEffortHint != "high" || showThinking(&r) {
		t.Errorf("stream %v, max_tokens %v, effort %q, thinking shown %v", c.Stream, c.MaxTokens, c.ReasoningEffortHint, showThinking(&r))
	}
}

// The strict key check reaches inside content blocks and sources: a key given twice, or a case variant of a
// field, is a 400 naming it; unknown keys stay accepted.
func TestStrictKeys(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a","text":"b"}]}]}`, "text"},
		{`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","URL":"u"}}]}]}`, "URL"},
	} {
		_, _, err := MessagesAPI{}.DecodeChat([]byte(tc.body))
		var he *hub.Error
		if !errors.As(err, &he) || he.Status != 400 || !strings.Contains(he.Message, tc.want) {
			t.Errorf("%s: %v", tc.body, err)
		}
	}
	if _, _, err := (MessagesAPI{}).DecodeChat([]byte(`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a","citations":[],"future_field":1}]}]}`)); err != nil {
		t.Errorf("unknown keys: %v", err)
	}
}
