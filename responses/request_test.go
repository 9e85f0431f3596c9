package responses

import (
	"slices"
	"strings"
	"testing"
)

const customParams = `{"type":"object","properties":{"input":{"type":"string","description":"The raw input of the tool, exactly as its format below says: not JSON-encoded, not wrapped."}},"required":["input"],"additionalProperties":false}`

func TestDecodeToHub(t *testing.T) {
	cases := []struct {
		name, body, hub string
		ignored         []string
	}{
		{
			name: "string input",
			body: `{"model":"m","input":"Hi"}`,
			hub:  `{"model":"m","messages":[{"role":"user","content":"Hi"}]}`,
		},
		{
			name: "what Codex sends: developer messages merged into one system message, hosted tools left out",
			body: `{"model":"grok-4","stream":true,"instructions":"Base","store":false,"include":["reasoning.encrypted_content"],
				"prompt_cache_key":"k","client_metadata":{"session_id":"s"},"reasoning":{"summary":"auto"},"parallel_tool_calls":true,"tool_choice":"auto",
				"input":[
					{"type":"message","id":"msg_1","role":"developer","content":[{"type":"input_text","text":"Be terse."}]},
					{"type":"message","role":"developer","content":[{"type":"input_text","text":"A"},{"type":"input_text","text":"B"}]},
					{"type":"message","role":"user","content":[{"type":"input_text","text":"<env>"}]},
					{"type":"message","role":"user","content":[{"type":"input_text","text":"list files"}]}],
				"tools":[{"type":"function","name":"exec_command","description":"Runs a command.","strict":false,"parameters":{"type":"object","properties":{"cmd":{"type":"string"}},"required":["cmd"]}},
					{"type":"web_search","external_web_access":false},{"type":"tool_search","execution":"client"},{"type":"web_search"}]}`,
			hub: `{"model":"grok-4","stream":true,"stream_options":{"include_usage":true},
				"messages":[{"role":"system","content":"Base\n\nBe terse.\n\nA\nB"},
					{"role":"user","content":[{"type":"text","text":"<env>"}]},
					{"role":"user","content":[{"type":"text","text":"list files"}]}],
				"tools":[{"type":"function","function":{"name":"exec_command","description":"Runs a command.","parameters":{"type":"object","properties":{"cmd":{"type":"string"}},"required":["cmd"]},"strict":false}}],
				"tool_choice":"auto","parallel_tool_calls":true}`,
			ignored: []string{"web_search", "tool_search"},
		},
		{
			name: "tool round trip: calls and assistant text merge, outputs move next to their calls, reasoning joins the assistant",
			body: `{"model":"m","tools":[{"type":"function","name":"exec_command","parameters":{"type":"object"}}],"input":[
				{"role":"user","content":"Run ls"},
				{"type":"item_reference","id":"rs_0"},
				{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Need ls."}],"encrypted_content":"gAAAAforeign"},
				{"type":"function_call","id":"fc_1","call_id":"call_1","name":"exec_command","arguments":"{\"cmd\":\"ls\"}"},
				{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Running it.","annotations":[]}]},
				{"type":"function_call","call_id":"call_2","name":"exec_command","arguments":""},
				{"type":"function_call_output","call_id":"call_2","output":"b.txt"},
				{"type":"message","role":"user","content":"also"},
				{"type":"function_call_output","call_id":"call_1","output":[{"type":"input_text","text":"a.txt"}]},
				{"type":"web_search_call","id":"ws_1","status":"completed"}]}`,
			hub: `{"model":"m","tools":[{"type":"function","function":{"name":"exec_command","parameters":{"type":"object"}}}],"messages":[
				{"role":"user","content":"Run ls"},
				{"role":"assistant","content":"Running it.","reasoning_content":"Need ls.","tool_calls":[
					{"id":"call_1","type":"function","function":{"name":"exec_command","arguments":"{\"cmd\":\"ls\"}"}},
					{"id":"call_2","type":"function","function":{"name":"exec_command","arguments":"{}"}}]},
				{"role":"tool","content":"a.txt","tool_call_id":"call_1"},
				{"role":"tool","content":"b.txt","tool_call_id":"call_2"},
				{"role":"user","content":"also"}]}`,
		},
		{
			name: "custom tool and namespaces: one-string functions, flattened names, reserved namespace functions",
			body: `{"model":"m","tools":[
					{"type":"custom","name":"apply_patch","description":"Edit files.","format":{"type":"grammar","syntax":"lark","definition":"start: x"}},
					{"type":"namespace","name":"multi_agent_v1","description":"Agents.","tools":[
						{"type":"function","name":"spawn_agent","parameters":{"type":"object"}},
						{"type":"function","name":"wait_agent","description":"Wait.","parameters":{"type":"object"}}]},
					{"type":"namespace","name":"functions","tools":[{"type":"function","name":"top","parameters":{"type":"object"}}]}],
				"input":[{"role":"user","content":"patch"},
					{"type":"custom_tool_call","call_id":"c1","name":"apply_patch","input":"*** Begin Patch"},
					{"type":"custom_tool_call_output","call_id":"c1","output":""},
					{"type":"function_call","call_id":"c2","namespace":"multi_agent_v1","name":"spawn_agent","arguments":"{}"},
					{"type":"function_call_output","call_id":"c2","output":"ok"}]}`,
			hub: `{"model":"m","tools":[
					{"type":"function","function":{"name":"apply_patch","description":"Edit files.\n\nThe input must match this lark definition:\nstart: x","parameters":` + customParams + `}},
					{"type":"function","function":{"name":"multi_agent_v1__spawn_agent","description":"Agents.","parameters":{"type":"object"}}},
					{"type":"function","function":{"name":"multi_agent_v1__wait_agent","description":"Wait.","parameters":{"type":"object"}}},
					{"type":"function","function":{"name":"top","parameters":{"type":"object"}}}],
				"messages":[{"role":"user","content":"patch"},
					{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"apply_patch","arguments":"{\"input\":\"*** Begin Patch\"}"}}]},
					{"role":"tool","content":"(no output)","tool_call_id":"c1"},
					{"role":"assistant","content":null,"tool_calls":[{"id":"c2","type":"function","function":{"name":"multi_agent_v1__spawn_agent","arguments":"{}"}}]},
					{"role":"tool","content":"ok","tool_call_id":"c2"}]}`,
		},
		{
			name: "settings: limits, sampling, effort, json_schema, verbosity, a forced custom tool",
			body: `{"model":"m","input":"q","max_output_tokens":100,"temperature":0.5,"top_p":0.9,"user":"u1","metadata":{"a":"b"},
				"reasoning":{"effort":"xhigh","summary":"detailed"},"truncation":"auto","service_tier":"auto","store":true,
				"text":{"format":{"type":"json_schema","name":"r","schema":{"type":"object"},"strict":true},"verbosity":"low"},
				"tools":[{"type":"custom","name":"apply_patch","format":{"type":"text"}}],"tool_choice":{"type":"custom","name":"apply_patch"}}`,
			hub: `{"model":"m","messages":[{"role":"user","content":"q"}],"max_tokens":100,"temperature":0.5,"top_p":0.9,"user":"u1",
				"reasoning_effort":"high","verbosity":"low","response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object"},"strict":true}},
				"tools":[{"type":"function","function":{"name":"apply_patch","parameters":` + customParams + `}}],
				"tool_choice":{"type":"function","function":{"name":"apply_patch"}}}`,
		},
		{
			name: "allowed_tools keeps functions, a forced hosted tool is auto, no tools left means no tool_choice",
			body: `{"model":"m","input":"q","tools":[{"type":"function","name":"f","parameters":{"type":"object"}},{"type":"file_search"}],
				"tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"f"},{"type":"file_search"}]}}`,
			hub: `{"model":"m","messages":[{"role":"user","content":"q"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],
				"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"f"}}]}}}`,
			ignored: []string{"file_search"},
		},
		{
			name:    "only hosted tools, forced: nothing left to force",
			body:    `{"model":"m","input":"q","text":{"format":{"type":"json_object"}},"tools":[{"type":"web_search_preview"}],"tool_choice":{"type":"web_search_preview"}}`,
			hub:     `{"model":"m","messages":[{"role":"user","content":"q"}],"response_format":{"type":"json_object"}}`,
			ignored: []string{"web_search_preview"},
		},
		{
			name: "images: user parts, and images a tool returned as a user message after the results",
			body: `{"model":"m","tools":[{"type":"function","name":"view_image","parameters":{"type":"object"}}],"input":[
				{"role":"user","content":[{"type":"input_text","text":"look"},{"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"original"}]},
				{"type":"function_call","call_id":"v1","name":"view_image","arguments":"{}"},
				{"type":"function_call_output","call_id":"v1","output":[{"type":"input_image","image_url":"https://x/y.png","detail":"low"}]}]}`,
			hub: `{"model":"m","tools":[{"type":"function","function":{"name":"view_image","parameters":{"type":"object"}}}],"messages":[
				{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"auto"}}]},
				{"role":"assistant","content":null,"tool_calls":[{"id":"v1","type":"function","function":{"name":"view_image","arguments":"{}"}}]},
				{"role":"tool","content":"(no output)","tool_call_id":"v1"},
				{"role":"user","content":[{"type":"text","text":"Images returned by tool call v1:"},{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}}]}]}`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			turn := decodeTurn(t, c.body)
			sameJSON(t, &turn.Hub, c.hub)
			if !slices.Equal(turn.Ignored, c.ignored) {
				t.Errorf("ignored %q, want %q", turn.Ignored, c.ignored)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		param, msg string
	}{
		{"previous_response_id", `{"model":"m","input":"x","previous_response_id":"resp_1"}`, 400, "previous_response_id", "stateless"},
		{"conversation", `{"model":"m","input":"x","conversation":"conv_1"}`, 400, "conversation", "stateless"},
		{"background", `{"model":"m","input":"x","background":true}`, 400, "background", "stateless"},
		{"stored prompt", `{"model":"m","prompt":{"id":"pmpt_1"}}`, 400, "prompt", "stored prompt"},
		{"no input", `{"model":"m"}`, 400, "input", "Missing required parameter"},
		{"empty input", `{"model":"m","input":[]}`, 400, "input", "no user or assistant message"},
		{"item_reference", `{"model":"m","input":[{"type":"item_reference","id":"msg_1"}]}`, 400, "input[0].id", "store: false"},
		{"hosted item", `{"model":"m","input":[{"type":"computer_call","call_id":"c"}]}`, 400, "input[0].type", "'computer_call' are not supported"},
		{"no type", `{"model":"m","input":[{"content":"x"}]}`, 400, "input[0].type", "needs a type"},
		{"bad role", `{"model":"m","input":[{"role":"tool","content":"x"}]}`, 400, "input[0].role", "'tool'"},
		{"call without output", `{"model":"m","input":[{"role":"user","content":"x"},{"type":"function_call","call_id":"c9","name":"f","arguments":"{}"}]}`, 400, "input[1].call_id", "No tool output found for function_call 'c9'"},
		{"output without call", `{"model":"m","input":[{"role":"user","content":"x"},{"type":"function_call_output","call_id":"c9","output":"r"}]}`, 400, "input[1].call_id", "No tool call found"},
		{"duplicate call id", `{"model":"m","input":[{"type":"function_call","call_id":"c","name":"f"},{"type":"function_call","call_id":"c","name":"g"}]}`, 400, "input[1].call_id", "Duplicate"},
		{"trigger not last", `{"model":"m","input":[{"type":"compaction_trigger"},{"role":"user","content":"x"}]}`, 400, "input[0].type", "must be the last"},
		{"image by file id", `{"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"file_1"}]}]}`, 400, "input[0].content[0].image_url", "Files API"},
		{"file by url", `{"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_url":"https://x"}]}]}`, 400, "input[0].content[0]", "file_data"},
		{"image in a system message", `{"model":"m","input":[{"role":"system","content":[{"type":"input_image","image_url":"https://x"}]}]}`, 400, "input[0].content[0].type", "only supported in user messages"},
		{"bad effort", `{"model":"m","input":"x","reasoning":{"effort":"huge"}}`, 400, "reasoning.effort", "'huge'"},
		{"bad format", `{"model":"m","input":"x","text":{"format":{"type":"yaml"}}}`, 400, "text.format.type", "'yaml'"},
		{"schema without name", `{"model":"m","input":"x","text":{"format":{"type":"json_schema","schema":{}}}}`, 400, "text.format", "name and a schema"},
		{"bad tool_choice", `{"model":"m","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":"sometimes"}`, 400, "tool_choice", "'sometimes'"},
		{"tool_choice names no tool", `{"model":"m","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"g"}}`, 400, "tool_choice.name", "'g'"},
		{"tool without type", `{"model":"m","input":"x","tools":[{"name":"f"}]}`, 400, "tools[0].type", "needs a type"},
		{"flattened name clash", `{"model":"m","input":"x","tools":[{"type":"function","name":"a__b"},{"type":"namespace","name":"a","tools":[{"type":"function","name":"b"}]}]}`, 400, "tools[1].tools[0].name", "'a__b'"},
		{"namespace member kind", `{"model":"m","input":"x","tools":[{"type":"namespace","name":"a","tools":[{"type":"web_search"}]}]}`, 400, "tools[0].tools[0].type", "'web_search'"},
		{"zero max_output_tokens", `{"model":"m","input":"x","max_output_tokens":0}`, 400, "max_output_tokens", "greater than 0"},
		{"foreign compaction", `{"model":"m","input":[{"type":"compaction","encrypted_content":"gAAAAxyz"},{"role":"user","content":"x"}]}`, 400, "input[0].encrypted_content", "not made by this gateway"},
		{"compaction under another key", `{"model":"m","input":[{"type":"compaction","encrypted_content":"ociai1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}]}`, 400, "input[0].encrypted_content", "another API key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, e := Decode([]byte(c.body), testSealer(t))
			if e == nil {
				t.Fatal("decoded")
			}
			if e.Status != c.status || e.Param != c.param || !strings.Contains(e.Message, c.msg) {
				t.Errorf("got %d %q %q, want %d %q containing %q", e.Status, e.Param, e.Message, c.status, c.param, c.msg)
			}
		})
	}
}

// Malformed JSON and values of the wrong kind are 400s naming the field.
func TestDecodeTypeErrors(t *testing.T) {
	for body, param := range map[string]string{
		`{"model":"m","input":42}`:                                  "input",
		`{"model":"m","input":[{"role":"user","content":{}}]}`:      "input.content",
		`{"model":"m","input":"x","tools":{}}`:                      "tools",
		`{"model":"m","input":"x","tools":[{"parameters":"none"}]}`: "tools.parameters",
		`{"model":"m","input":"x","metadata":[]}`:                   "metadata",
	} {
		_, e := Decode([]byte(body), nil)
		if e == nil || e.Status != 400 || e.Param != param || e.Code != "invalid_type" {
			t.Errorf("%s: error %+v, want a 400 invalid_type at %q", body, e, param)
		}
	}
	if _, e := Decode([]byte(`{"model":`), nil); e == nil || e.Code != "invalid_json" {
		t.Errorf("truncated JSON: %+v", e)
	}
	// Keys that mean two things are refused inside items, parts and tools too.
	for body, param := range map[string]string{
		`{"model":"m","input":[{"role":"user","Content":"x"}]}`:                                "input[0].Content",
		`{"model":"m","input":[{"role":"user","content":[{"type":"input_text","TEXT":"x"}]}]}`: "input[0].content[0].TEXT",
		`{"model":"m","input":"x","tools":[{"type":"function","name":"f","name":"g"}]}`:        "tools[0].name",
	} {
		if _, e := Decode([]byte(body), nil); e == nil || e.Status != 400 || e.Param != param {
			t.Errorf("%s: error %+v, want a 400 at %q", body, e, param)
		}
	}
}
