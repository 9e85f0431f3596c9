package cohere_test

import (
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

// TestRequest compares the chatRequest produced for each hub request.
func TestRequest(t *testing.T) {
	ocitest.RunRequests(t, cohere.Request, commandR, []ocitest.RequestCase{
		{
			Name: "preamble from leading system and developer, history, last user is the message",
			In: `{"model":"m","messages":[
				{"role":"system","content":"Be brief."},{"role":"developer","content":[{"type":"text","text":"Use metric."}]},
				{"role":"user","content":"Hi","name":"ann"},{"role":"assistant","content":"Hello!"},
				{"role":"system","content":"Now in French."},
				{"role":"user","content":[{"type":"text","text":"How are"},{"type":"input_text","text":"you?"}]}]}`,
			Want: `{"apiFormat":"COHERE","maxTokens":600,"preambleOverride":"Be brief.\n\nUse metric.",
				"chatHistory":[{"role":"USER","message":"Hi"},{"role":"CHATBOT","message":"Hello!"},{"role":"SYSTEM","message":"Now in French."}],
				"message":"How are\nyou?"}`,
		},
		{
			Name: "system after the last user message stays in history",
			In:   `{"model":"m","messages":[{"role":"user","content":"Q"},{"role":"system","content":"late"}]}`,
			Want: `{"apiFormat":"COHERE","maxTokens":600,"chatHistory":[{"role":"SYSTEM","message":"late"}],"message":"Q"}`,
		},
		{
			Name: "current-turn tool results: message empty, toolResults resolved by tool_call_id",
			In: `{"model":"m","messages":[{"role":"user","content":"Weather in Paris and Rome?"},
				{"role":"assistant","content":null,"tool_calls":[
					{"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
					{"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
				{"role":"tool","tool_call_id":"call_b","content":"{\"temp\":25}"},
				{"role":"tool","tool_call_id":"call_a","content":[{"type":"text","text":"sunny"}]}]}`,
			Want: `{"apiFormat":"COHERE","maxTokens":600,"message":"",
				"chatHistory":[{"role":"USER","message":"Weather in Paris and Rome?"},
					{"role":"CHATBOT","message":" ","toolCalls":[{"name":"get_weather","parameters":{"city":"Paris"}},{"name":"get_weather","parameters":{"city":"Rome"}}]}],
				"toolResults":[{"call":{"name":"get_weather","parameters":{"city":"Rome"}},"outputs":[{"temp":25}]},
					{"call":{"name":"get_weather","parameters":{"city":"Paris"}},"outputs":[{"result":"sunny"}]}]}`,
		},
		{
			Name: "earlier tool results go to history as one TOOL entry; a CHATBOT turn follows it",
			In: `{"model":"m","messages":[{"role":"user","content":"go"},
				{"role":"assistant","content":"Let me check.","tool_calls":[
					{"id":"1","type":"function","function":{"name":"f","arguments":""}},
					{"id":"2","type":"function","function":{"name":"g","arguments":" {\"x\": [1, 2]} "}}]},
				{"role":"tool","tool_call_id":"1","content":"[{\"a\":1},{\"b\":2}]"},
				{"role":"tool","tool_call_id":"2","content":"[1,2]"},
				{"role":"user","content":"and now?"}]}`,
			Want: `{"apiFormat":"COHERE","maxTokens":600,"message":"and now?",
				"chatHistory":[{"role":"USER","message":"go"},
					{"role":"CHATBOT","message":"Let me check.","toolCalls":[{"name":"f","parameters":{}},{"name":"g","parameters":{"x":[1,2]}}]},
					{"role":"TOOL","toolResults":[{"call":{"name":"f","parameters":{}},"outputs":[{"a":1},{"b":2}]},
						{"call":{"name":"g","parameters":{"x":[1,2]}},"outputs":[{"result":"[1,2]"}]}]},
					{"role":"CHATBOT","message":"[{\"a\":1},{\"b\":2}]\n[1,2]"}]}`,
		},
		{
			Name: "tool history followed by the assistant's answer needs no filler",
			In: `{"model":"m","messages":[{"role":"user","content":"go"},
				{"role":"assistant","tool_calls":[{"id":"1","type":"function","function":{"name":"f","arguments":"{}"}}]},
				{"role":"tool","tool_call_id":"1","content":"done"},
				{"role":"assistant","content":"It is done."},{"role":"user","content":"thanks"}]}`,
			Want: `{"apiFormat":"COHERE","maxTokens":600,"message":"thanks",
				"chatHistory":[{"role":"USER","message":"go"},{"role":"CHATBOT","message":" ","toolCalls":[{"name":"f","parameters":{}}]},
					{"role":"TOOL","toolResults":[{"call":{"name":"f","parameters":{}},"outputs":[{"result":"done"}]}]},
					{"role":"CHATBOT","message":"It is done."}]}`,
		},
		{
			Name: "tool results of a second round: earlier rounds in history, the last round current",
			In: `{"model":"m","messages":[{"role":"user","content":"go"},
				{"role":"assistant","tool_calls":[{"id":"1","type":"function","function":{"name":"f","arguments":"{}"}}]},
				{"role":"tool","tool_call_id":"1","content":"r1"},
				{"role":"assistant","tool_calls":[{"id":"2","type":"function","function":{"name":"g","arguments":"{}"}}]},
				{"role":"tool","tool_call_id":"2","content":"r2"}]}`,
			Want: `{"apiFormat":"COHERE","maxTokens":600,"message":"",
				"chatHistory":[{"role":"USER","message":"go"},{"role":"CHATBOT","message":" ","toolCalls":[{"name":"f","parameters":{}}]},
					{"role":"TOOL","toolResults":[{"call":{"name":"f","parameters":{}},"outputs":[{"result":"r1"}]}]},
					{"role":"CHATBOT","message":" ","toolCalls":[{"name":"g","parameters":{}}]}],
				"toolResults":[{"call":{"name":"g","parameters":{}},"outputs":[{"result":"r2"}]}]}`,
		},
		{
			Name: "assistant refusal is its text",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"},{"role":"assistant","content":null,"refusal":"no"},{"role":"user","content":"y"}]}`,
			Want: `{"apiFormat":"COHERE","maxTokens":600,"message":"y","chatHistory":[{"role":"USER","message":"x"},{"role":"CHATBOT","message":"no"}]}`,
		},
		{
			Name: "sampling, stop, json_schema, stream with usage",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"max_completion_tokens":50,"max_tokens":9,
				"temperature":0.3,"top_p":0.9,"top_k":40,"frequency_penalty":0.1,"presence_penalty":0.2,"seed":7,"stop":["END","STOP"],"n":1,
				"response_format":{"type":"json_schema","json_schema":{"name":"s","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}}}}},
				"stream":true,"stream_options":{"include_usage":true}}`,
			Want: `{"apiFormat":"COHERE","message":"x","maxTokens":50,"temperature":0.3,"topP":0.9,"topK":40,"frequencyPenalty":0.1,"presencePenalty":0.2,
				"seed":7,"stopSequences":["END","STOP"],"responseFormat":{"type":"JSON_OBJECT","schema":{"type":"object","properties":{"a":{"type":"string"}}}},
				"isStream":true,"streamOptions":{"isIncludeUsage":true}}`,
		},
		{
			Name: "json_object, text and stream without usage",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"stop":"!","response_format":{"type":"json_object"},"stream":true}`,
			Want: `{"apiFormat":"COHERE","maxTokens":600,"message":"x","stopSequences":["!"],"responseFormat":{"type":"JSON_OBJECT"},"isStream":true}`,
		},
		{
			Name:    "parameters Cohere cannot take are dropped and reported",
			In:      `{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"text"},"logprobs":true,"top_logprobs":2,"logit_bias":{"1":2},"parallel_tool_calls":false,"metadata":{"a":"b"},"service_tier":"auto","verbosity":"low","prediction":{"type":"content","content":"p"},"web_search_options":{},"reasoning_effort":"low","user":"u","store":true}`,
			Want:    `{"apiFormat":"COHERE","maxTokens":600,"message":"x","responseFormat":{"type":"TEXT"}}`,
			Dropped: []string{"logprobs", "top_logprobs", "logit_bias", "parallel_tool_calls", "metadata", "service_tier", "verbosity", "prediction", "web_search_options", "user", "store", "reasoning_effort"},
		},
		{
			Name: "tools: definitions, description falls back to the name",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"auto","tools":[
				{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object",
					"properties":{"city":{"type":"string","description":"City name"},"unit":{"type":"string","enum":["C","F"]},"days":{"type":"integer"}},
					"required":["city"]}}},
				{"type":"function","function":{"name":"now"}}]}`,
			Want: `{"apiFormat":"COHERE","maxTokens":600,"message":"x","tools":[
				{"name":"get_weather","description":"Current weather","parameterDefinitions":{
					"city":{"type":"str","description":"City name","isRequired":true},
					"unit":{"type":"str","description":"Allowed values: C, F","isRequired":false},
					"days":{"type":"int","isRequired":false}}},
				{"name":"now","description":"now"}]}`,
		},
		{
			Name: "tool_choice none sends no tools",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"none","tools":[{"type":"function","function":{"name":"f"}}]}`,
			Want: `{"apiFormat":"COHERE","maxTokens":600,"message":"x"}`,
		},
		{
			Name: "allowed_tools auto narrows the tools",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}],
				"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{"name":"b"}}]}}}`,
			Want: `{"apiFormat":"COHERE","maxTokens":600,"message":"x","tools":[{"name":"b","description":"b"}]}`,
		},
	})
}

func TestRequestErrors(t *testing.T) {
	user := `[{"role":"user","content":"x"}]`
	ocitest.RunErrors(t, cohere.Request, commandR, [][3]string{
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
	})
	if _, _, err := cohere.Request(nil, commandR); err == nil {
		t.Error("nil request accepted")
	}
	if _, _, err := cohere.Request(ocitest.Request(t, `{"messages":`+user+`}`), core.Target{}); ocitest.RequestErrParam(t, err) != "model" {
		t.Error("empty model accepted")
	}
}
