package cohere_test

import (
	"reflect"
	"testing"

	"github.com/ociai/ociai-proxy/internal/jsontest"
	"github.com/ociai/ociai-proxy/oci/cohere"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

var commandR = core.Target{ModelID: "cohere.command-r-08-2024", CompartmentID: "ocid1.compartment.oc1..c", DefaultMaxTokens: 600}

func TestRequestEnvelope(t *testing.T) {
	req := ocitest.Request(t, `{"model":"c","messages":[{"role":"user","content":"Hi"}]}`)
	d, dropped, err := cohere.Request(req, commandR)
	if err != nil || dropped != nil {
		t.Fatal(err, dropped)
	}
	jsontest.Assert(t, d, `{"compartmentId":"ocid1.compartment.oc1..c","servingMode":{"servingType":"ON_DEMAND","modelId":"cohere.command-r-08-2024"},
		"chatRequest":{"apiFormat":"COHERE","message":"Hi","maxTokens":600}}`)
	d, _, err = cohere.Request(req, core.Target{ModelID: "ocid1.generativeaiendpoint.oc1..e", Dedicated: true, CompartmentID: "c"})
	if err != nil {
		t.Fatal(err)
	}
	jsontest.Assert(t, d, `{"compartmentId":"c","servingMode":{"servingType":"DEDICATED","endpointId":"ocid1.generativeaiendpoint.oc1..e"},
		"chatRequest":{"apiFormat":"COHERE","message":"Hi"}}`)
}

// TestCohereChat compares the chatRequest produced for each OpenAI input.
func TestRequest(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		dropped []string
	}{
		{
			name: "preamble from leading system and developer, history, last user is the message",
			in: `{"model":"m","messages":[
				{"role":"system","content":"Be brief."},{"role":"developer","content":[{"type":"text","text":"Use metric."}]},
				{"role":"user","content":"Hi","name":"ann"},{"role":"assistant","content":"Hello!"},
				{"role":"system","content":"Now in French."},
				{"role":"user","content":[{"type":"text","text":"How are"},{"type":"input_text","text":"you?"}]}]}`,
			want: `{"apiFormat":"COHERE","maxTokens":600,"preambleOverride":"Be brief.\n\nUse metric.",
				"chatHistory":[{"role":"USER","message":"Hi"},{"role":"CHATBOT","message":"Hello!"},{"role":"SYSTEM","message":"Now in French."}],
				"message":"How are\nyou?"}`,
		},
		{
			name: "system after the last user message stays in history",
			in:   `{"model":"m","messages":[{"role":"user","content":"Q"},{"role":"system","content":"late"}]}`,
			want: `{"apiFormat":"COHERE","maxTokens":600,"chatHistory":[{"role":"SYSTEM","message":"late"}],"message":"Q"}`,
		},
		{
			name: "current-turn tool results: message empty, toolResults resolved by tool_call_id",
			in: `{"model":"m","messages":[{"role":"user","content":"Weather in Paris and Rome?"},
				{"role":"assistant","content":null,"tool_calls":[
					{"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
					{"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
				{"role":"tool","tool_call_id":"call_b","content":"{\"temp\":25}"},
				{"role":"tool","tool_call_id":"call_a","content":[{"type":"text","text":"sunny"}]}]}`,
			want: `{"apiFormat":"COHERE","maxTokens":600,"message":"",
				"chatHistory":[{"role":"USER","message":"Weather in Paris and Rome?"},
					{"role":"CHATBOT","message":" ","toolCalls":[{"name":"get_weather","parameters":{"city":"Paris"}},{"name":"get_weather","parameters":{"city":"Rome"}}]}],
				"toolResults":[{"call":{"name":"get_weather","parameters":{"city":"Rome"}},"outputs":[{"temp":25}]},
					{"call":{"name":"get_weather","parameters":{"city":"Paris"}},"outputs":[{"result":"sunny"}]}]}`,
		},
		{
			name: "earlier tool results go to history as one TOOL entry; a CHATBOT turn follows it",
			in: `{"model":"m","messages":[{"role":"user","content":"go"},
				{"role":"assistant","content":"Let me check.","tool_calls":[
					{"id":"1","type":"function","function":{"name":"f","arguments":""}},
					{"id":"2","type":"function","function":{"name":"g","arguments":" {\"x\": [1, 2]} "}}]},
				{"role":"tool","tool_call_id":"1","content":"[{\"a\":1},{\"b\":2}]"},
				{"role":"tool","tool_call_id":"2","content":"[1,2]"},
				{"role":"user","content":"and now?"}]}`,
			want: `{"apiFormat":"COHERE","maxTokens":600,"message":"and now?",
				"chatHistory":[{"role":"USER","message":"go"},
					{"role":"CHATBOT","message":"Let me check.","toolCalls":[{"name":"f","parameters":{}},{"name":"g","parameters":{"x":[1,2]}}]},
					{"role":"TOOL","toolResults":[{"call":{"name":"f","parameters":{}},"outputs":[{"a":1},{"b":2}]},
						{"call":{"name":"g","parameters":{"x":[1,2]}},"outputs":[{"result":"[1,2]"}]}]},
					{"role":"CHATBOT","message":"[{\"a\":1},{\"b\":2}]\n[1,2]"}]}`,
		},
		{
			name: "tool history followed by the assistant's answer needs no filler",
			in: `{"model":"m","messages":[{"role":"user","content":"go"},
				{"role":"assistant","tool_calls":[{"id":"1","type":"function","function":{"name":"f","arguments":"{}"}}]},
				{"role":"tool","tool_call_id":"1","content":"done"},
				{"role":"assistant","content":"It is done."},{"role":"user","content":"thanks"}]}`,
			want: `{"apiFormat":"COHERE","maxTokens":600,"message":"thanks",
				"chatHistory":[{"role":"USER","message":"go"},{"role":"CHATBOT","message":" ","toolCalls":[{"name":"f","parameters":{}}]},
					{"role":"TOOL","toolResults":[{"call":{"name":"f","parameters":{}},"outputs":[{"result":"done"}]}]},
					{"role":"CHATBOT","message":"It is done."}]}`,
		},
		{
			name: "tool results of a second round: earlier rounds in history, the last round current",
			in: `{"model":"m","messages":[{"role":"user","content":"go"},
				{"role":"assistant","tool_calls":[{"id":"1","type":"function","function":{"name":"f","arguments":"{}"}}]},
				{"role":"tool","tool_call_id":"1","content":"r1"},
				{"role":"assistant","tool_calls":[{"id":"2","type":"function","function":{"name":"g","arguments":"{}"}}]},
				{"role":"tool","tool_call_id":"2","content":"r2"}]}`,
			want: `{"apiFormat":"COHERE","maxTokens":600,"message":"",
				"chatHistory":[{"role":"USER","message":"go"},{"role":"CHATBOT","message":" ","toolCalls":[{"name":"f","parameters":{}}]},
					{"role":"TOOL","toolResults":[{"call":{"name":"f","parameters":{}},"outputs":[{"result":"r1"}]}]},
					{"role":"CHATBOT","message":" ","toolCalls":[{"name":"g","parameters":{}}]}],
				"toolResults":[{"call":{"name":"g","parameters":{}},"outputs":[{"result":"r2"}]}]}`,
		},
		{
			name: "assistant refusal is its text",
			in:   `{"model":"m","messages":[{"role":"user","content":"x"},{"role":"assistant","content":null,"refusal":"no"},{"role":"user","content":"y"}]}`,
			want: `{"apiFormat":"COHERE","maxTokens":600,"message":"y","chatHistory":[{"role":"USER","message":"x"},{"role":"CHATBOT","message":"no"}]}`,
		},
		{
			name: "sampling, stop, json_schema, stream with usage",
			in: `{"model":"m","messages":[{"role":"user","content":"x"}],"max_completion_tokens":50,"max_tokens":9,
				"temperature":0.3,"top_p":0.9,"top_k":40,"frequency_penalty":0.1,"presence_penalty":0.2,"seed":7,"stop":["END","STOP"],"n":1,
				"response_format":{"type":"json_schema","json_schema":{"name":"s","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}}}}},
				"stream":true,"stream_options":{"include_usage":true}}`,
			want: `{"apiFormat":"COHERE","message":"x","maxTokens":50,"temperature":0.3,"topP":0.9,"topK":40,"frequencyPenalty":0.1,"presencePenalty":0.2,
				"seed":7,"stopSequences":["END","STOP"],"responseFormat":{"type":"JSON_OBJECT","schema":{"type":"object","properties":{"a":{"type":"string"}}}},
				"isStream":true,"streamOptions":{"isIncludeUsage":true}}`,
		},
		{
			name: "json_object, text and stream without usage",
			in:   `{"model":"m","messages":[{"role":"user","content":"x"}],"stop":"!","response_format":{"type":"json_object"},"stream":true}`,
			want: `{"apiFormat":"COHERE","maxTokens":600,"message":"x","stopSequences":["!"],"responseFormat":{"type":"JSON_OBJECT"},"isStream":true}`,
		},
		{
			name:    "parameters Cohere cannot take are dropped and reported",
			in:      `{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"text"},"logprobs":true,"top_logprobs":2,"logit_bias":{"1":2},"parallel_tool_calls":false,"metadata":{"a":"b"},"service_tier":"auto","verbosity":"low","prediction":{"type":"content","content":"p"},"web_search_options":{},"reasoning_effort":"low","user":"u","store":true}`,
			want:    `{"apiFormat":"COHERE","maxTokens":600,"message":"x","responseFormat":{"type":"TEXT"}}`,
			dropped: []string{"logprobs", "top_logprobs", "logit_bias", "parallel_tool_calls", "metadata", "service_tier", "verbosity", "prediction", "web_search_options", "user", "store", "reasoning_effort"},
		},
		{
			name: "tools: definitions, description falls back to the name",
			in: `{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"auto","tools":[
				{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object",
					"properties":{"city":{"type":"string","description":"City name"},"unit":{"type":"string","enum":["C","F"]},"days":{"type":"integer"}},
					"required":["city"]}}},
				{"type":"function","function":{"name":"now"}}]}`,
			want: `{"apiFormat":"COHERE","maxTokens":600,"message":"x","tools":[
				{"name":"get_weather","description":"Current weather","parameterDefinitions":{
					"city":{"type":"str","description":"City name","isRequired":true},
					"unit":{"type":"str","description":"Allowed values: C, F","isRequired":false},
					"days":{"type":"int","isRequired":false}}},
				{"name":"now","description":"now"}]}`,
		},
		{
			name: "tool_choice none sends no tools",
			in:   `{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"none","tools":[{"type":"function","function":{"name":"f"}}]}`,
			want: `{"apiFormat":"COHERE","maxTokens":600,"message":"x"}`,
		},
		{
			name: "allowed_tools auto narrows the tools",
			in: `{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}],
				"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{"name":"b"}}]}}}`,
			want: `{"apiFormat":"COHERE","maxTokens":600,"message":"x","tools":[{"name":"b","description":"b"}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, dropped, err := cohere.Request(ocitest.Request(t, tt.in), commandR)
			if err != nil {
				t.Fatal(err)
			}
			jsontest.Assert(t, d.ChatRequest, tt.want)
			if !reflect.DeepEqual(dropped, tt.dropped) {
				t.Errorf("dropped = %q, want %q", dropped, tt.dropped)
			}
		})
	}
}

func TestRequestErrors(t *testing.T) {
	user := `[{"role":"user","content":"x"}]`
	tests := []struct {
		name, in, param string
	}{
		{"no messages", `{"messages":[]}`, "messages"},
		{"bad role", `{"messages":[{"role":"bot","content":"x"}]}`, "messages[0].role"},
		{"function role", `{"messages":[{"role":"function","content":"x"}]}`, "messages[0].role"},
		{"no user message", `{"messages":[{"role":"system","content":"x"}]}`, "messages"},
		{"empty user message", `{"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y"},{"role":"user","content":[{"type":"text","text":" "}]}]}`, "messages[2].content"},
		{"ends with assistant", `{"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y"}]}`, "messages[1].role"},
		{"image in the message", `{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AA"}}]}]}`, "messages[0].content[0].type"},
		{"image in history", `{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"u"}}]},{"role":"assistant","content":"b"},{"role":"user","content":"c"}]}`, "messages[0].content[1].type"},
		{"audio part", `{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x"}}]}]}`, "messages[0].content[0].type"},
		{"refusal part from user", `{"messages":[{"role":"user","content":[{"type":"refusal","refusal":"x"}]}]}`, "messages[0].content[0].type"},
		{"tool_call_id without a call", `{"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"b","content":"r"}]}`, "messages[2].tool_call_id"},
		{"tool result before its call", `{"messages":[{"role":"user","content":"x"},{"role":"tool","tool_call_id":"a","content":"r"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"a","content":"r"}]}`, "messages[1].tool_call_id"},
		{"missing tool_call_id", `{"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","content":"r"}]}`, "messages[2].tool_call_id"},
		{"arguments not an object", `{"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"[1]"}}]},{"role":"tool","tool_call_id":"a","content":"r"}]}`, "messages[1].tool_calls[0].function.arguments"},
		{"arguments not JSON", `{"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{oops"}}]},{"role":"tool","tool_call_id":"a","content":"r"}]}`, "messages[1].tool_calls[0].function.arguments"},
		{"tool call without id", `{"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f"}}]},{"role":"user","content":"y"}]}`, "messages[1].tool_calls[0].id"},
		{"tool call without name", `{"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{}}]},{"role":"user","content":"y"}]}`, "messages[1].tool_calls[0].function.name"},
		{"tool call of another type", `{"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"a","type":"custom","function":{"name":"f"}}]},{"role":"user","content":"y"}]}`, "messages[1].tool_calls[0].type"},
		{"n > 1", `{"n":2,"messages":` + user + `}`, "n"},
		{"n < 1", `{"n":0,"messages":` + user + `}`, "n"},
		{"temperature", `{"temperature":3,"messages":` + user + `}`, "temperature"},
		{"top_p", `{"top_p":-1,"messages":` + user + `}`, "top_p"},
		{"max_tokens", `{"max_tokens":0,"messages":` + user + `}`, "max_tokens"},
		{"max_completion_tokens", `{"max_completion_tokens":-5,"messages":` + user + `}`, "max_completion_tokens"},
		{"response_format type", `{"response_format":{"type":"yaml"},"messages":` + user + `}`, "response_format.type"},
		{"json_schema missing", `{"response_format":{"type":"json_schema"},"messages":` + user + `}`, "response_format.json_schema"},
		{"json_schema name missing", `{"response_format":{"type":"json_schema","json_schema":{"schema":{}}},"messages":` + user + `}`, "response_format.json_schema.name"},
		{"tool_choice required", `{"tool_choice":"required","tools":[{"type":"function","function":{"name":"f"}}],"messages":` + user + `}`, "tool_choice"},
		{"tool_choice function", `{"tool_choice":{"type":"function","function":{"name":"f"}},"tools":[{"type":"function","function":{"name":"f"}}],"messages":` + user + `}`, "tool_choice"},
		{"allowed_tools required", `{"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[]}},"tools":[{"type":"function","function":{"name":"f"}}],"messages":` + user + `}`, "tool_choice"},
		{"allowed_tools none defined", `{"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{"name":"g"}}]}},"tools":[{"type":"function","function":{"name":"f"}}],"messages":` + user + `}`, "tool_choice"},
		{"tool_choice without tools", `{"tool_choice":"required","messages":` + user + `}`, "tool_choice"},
		{"tool_choice bogus", `{"tool_choice":"sometimes","tools":[{"type":"function","function":{"name":"f"}}],"messages":` + user + `}`, "tool_choice"},
		{"tool type", `{"tools":[{"type":"web_search"}],"messages":` + user + `}`, "tools[0].type"},
		{"tool name", `{"tools":[{"type":"function","function":{}}],"messages":` + user + `}`, "tools[0].function.name"},
		{"tool schema", `{"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"anyOf":[{"type":"string"},{"type":"integer"}]}}}}}],"messages":` + user + `}`, "tools[0].function.parameters.properties.a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := cohere.Request(ocitest.Request(t, tt.in), commandR)
			if err == nil {
				t.Fatal("no error")
			}
			if p := ocitest.RequestErrParam(t, err); p != tt.param {
				t.Errorf("param = %q, want %q (%v)", p, tt.param, err)
			}
		})
	}
	if _, _, err := cohere.Request(nil, commandR); err == nil {
		t.Error("nil request accepted")
	}
	if _, _, err := cohere.Request(ocitest.Request(t, `{"messages":`+user+`}`), core.Target{}); ocitest.RequestErrParam(t, err) != "model" {
		t.Error("empty model accepted")
	}
}
