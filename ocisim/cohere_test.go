package ocisim_test

import (
	"testing"

	"github.com/ociai/ociai-proxy/ocisim"
)

func cohere(model string, req map[string]any) map[string]any {
	req["apiFormat"] = "COHERE"
	return envelope(model, req)
}

var cohereTools = []any{
	map[string]any{"name": "getWeather", "description": "weather", "parameterDefinitions": map[string]any{
		"city":  map[string]any{"type": "str", "isRequired": true},
		"days":  map[string]any{"type": "int", "isRequired": true},
		"tags":  map[string]any{"type": "List[str]", "isRequired": true},
		"extra": map[string]any{"type": "dict", "isRequired": false},
	}},
	map[string]any{"name": "getTime", "description": "time"},
}

func TestCohereText(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	status, out := e.chat(cohere("cohere.command-r-08-2024", map[string]any{
		"message":          "Say hi.",
		"preambleOverride": "You are terse",
		"chatHistory":      []any{map[string]any{"role": "USER", "message": "before"}, map[string]any{"role": "CHATBOT", "message": "ok"}},
		"maxTokens":        100,
	}))
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	wantEq(t, "response", jsonString(t, out["chatResponse"]), canon(t, `{"apiFormat":"COHERE",
		"text":"Hello from cohere.command-r-08-2024! You said: Say hi.",
		"chatHistory":[{"role":"USER","message":"before"},{"role":"CHATBOT","message":"ok"},{"role":"USER","message":"Say hi."},
			{"role":"CHATBOT","message":"Hello from cohere.command-r-08-2024! You said: Say hi."}],
		"finishReason":"COMPLETE",
		"usage":{"completionTokens":7,"promptTokens":7,"totalTokens":14}}`))
	wantEq(t, "modelVersion", out["modelVersion"], any("1.0.0"))
}

func TestCohereLimits(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	_, out := e.chat(cohere("cohere.command-a-03-2025", map[string]any{"message": "x", "maxTokens": 2}))
	wantEq(t, "text", get(out, "chatResponse", "text"), any("Hello from "))
	wantEq(t, "finish", get(out, "chatResponse", "finishReason"), any("MAX_TOKENS"))
	_, out = e.chat(cohere("cohere.command-a-03-2025", map[string]any{"message": "x", "stopSequences": []string{"!"},
		"responseFormat": map[string]any{"type": "JSON_OBJECT", "schema": map[string]any{"type": "object"}}}))
	wantEq(t, "text", get(out, "chatResponse", "text"), any(`{"answer":"Hello from cohere.command-a-03-2025`))
	wantEq(t, "finish", get(out, "chatResponse", "finishReason"), any("COMPLETE"))
}

func TestCohereToolCalls(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	status, out := e.chat(cohere("cohere.command-a-03-2025", map[string]any{
		"message": "Use getWeather and gettime for Munich", "tools": cohereTools}))
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	calls := `[{"name":"getWeather","parameters":{"city":"Munich","days":1,"tags":[]}},{"name":"getTime","parameters":{}}]`
	wantEq(t, "toolCalls", jsonString(t, get(out, "chatResponse", "toolCalls")), canon(t, calls))
	wantEq(t, "text", get(out, "chatResponse", "text"), any(""))
	wantEq(t, "finish", get(out, "chatResponse", "finishReason"), any("COMPLETE"))
	wantEq(t, "last history", jsonString(t, get(out, "chatResponse", "chatHistory", 1)), canon(t, `{"role":"CHATBOT","toolCalls":`+calls+`}`))
}

func TestCohereToolCallsSpelledOut(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	status, out := e.chat(cohere("cohere.command-a-03-2025", map[string]any{
		"message": `Use getWeather {"days": 2.5, "city": "Oslo"} now`, "tools": cohereTools}))
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	wantEq(t, "toolCalls", jsonString(t, get(out, "chatResponse", "toolCalls")), canon(t, `[{"name":"getWeather","parameters":{"city":"Oslo","days":2.5}}]`))
}

func TestCohereToolResults(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	status, out := e.chat(cohere("cohere.command-a-03-2025", map[string]any{
		"message": "", "tools": cohereTools,
		"toolResults": []any{map[string]any{
			"call":    map[string]any{"name": "getWeather", "parameters": map[string]any{"city": "Munich"}},
			"outputs": []any{map[string]any{"temp": 20, "sky": "clear"}},
		}},
	}))
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	// outputs keep the client's key order
	wantEq(t, "text", get(out, "chatResponse", "text"), any(`The tool getWeather returned: [{"sky":"clear","temp":20}]`))
	wantEq(t, "history roles", jsonString(t, []any{get(out, "chatResponse", "chatHistory", 0, "role"), get(out, "chatResponse", "chatHistory", 1, "role")}), `["TOOL","CHATBOT"]`)
}

func TestCohereStream(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	_, data := e.stream(cohere("cohere.command-a-03-2025", map[string]any{"message": "Say hi.", "isStream": true}))
	tk := func(s string) string { return `{"apiFormat":"COHERE","text":` + quote(s) + `}` }
	full := "Hello from cohere.command-a-03-2025! You said: Say hi."
	wantEvents(t, decodeEvents(t, data),
		tk("Hello "), tk("from "), tk("cohere.command-a-03-2025! "), tk("You "), tk("said: "), tk("Say "), tk("hi."),
		`{"apiFormat":"COHERE","text":`+quote(full)+`,"chatHistory":[{"role":"USER","message":"Say hi."},{"role":"CHATBOT","message":`+quote(full)+`}],
		 "finishReason":"COMPLETE","usage":{"completionTokens":7,"promptTokens":2,"totalTokens":9}}`)
	wantEq(t, "done", data[len(data)-1], "[DONE]")
}

func TestCohereStreamTools(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	_, data := e.stream(cohere("cohere.command-r-plus-08-2024", map[string]any{"message": "call getTime", "isStream": true, "tools": cohereTools}))
	wantEvents(t, decodeEvents(t, data),
		`{"apiFormat":"COHERE","toolCalls":[{"name":"getTime","parameters":{}}]}`,
		`{"apiFormat":"COHERE","text":"","chatHistory":[{"role":"USER","message":"call getTime"},{"role":"CHATBOT","toolCalls":[{"name":"getTime","parameters":{}}]}],
		 "finishReason":"COMPLETE","toolCalls":[{"name":"getTime","parameters":{}}],"usage":{"completionTokens":2,"promptTokens":2,"totalTokens":4}}`)
}

func coherev2(model string, req map[string]any) map[string]any {
	req["apiFormat"] = "COHEREV2"
	return envelope(model, req)
}

func TestCohereV2Vision(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	msgs := []any{map[string]any{"role": "USER", "content": []any{
		map[string]any{"type": "TEXT", "text": "Describe"},
		map[string]any{"type": "IMAGE_URL", "imageUrl": map[string]any{"url": "data:image/jpeg;base64,AAAA", "detail": "HIGH"}},
	}}}
	status, out := e.chat(coherev2("cohere.command-a-vision-07-2025", map[string]any{"messages": msgs}))
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	resp := out["chatResponse"].(map[string]any)
	if id, _ := resp["id"].(string); len(id) != 36 {
		t.Errorf("id %q", id)
	}
	delete(resp, "id")
	wantEq(t, "response", jsonString(t, resp), canon(t, `{"apiFormat":"COHEREV2",
		"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hello from cohere.command-a-vision-07-2025! You said: Describe [1 image(s)]"}]},
		"finishReason":"COMPLETE","usage":{"completionTokens":8,"promptTokens":86,"totalTokens":94}}`))

	// The same request in COHERE format is refused.
	status, out = e.chat(cohere("cohere.command-a-vision-07-2025", map[string]any{"message": "Describe"}))
	wantEq(t, "COHERE to vision", status, 400)
	wantEq(t, "message", out["message"], any("Chat request type does not match serving model."))
}

func TestCohereV2Stream(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	_, data := e.stream(coherev2("cohere.command-a-03-2025", map[string]any{"isStream": true, "maxTokens": 2,
		"messages": []any{map[string]any{"role": "USER", "content": text("Hi")}}}))
	tk := func(s string) string {
		return `{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":` + quote(s) + `}]}}`
	}
	wantEvents(t, decodeEvents(t, data), tk("Hello "), tk("from "),
		`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT"},"finishReason":"MAX_TOKENS","usage":{"completionTokens":2,"promptTokens":1,"totalTokens":3}}`)
}

func TestCohereV2Tools(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	tools := []any{map[string]any{"type": "FUNCTION", "function": map[string]any{"name": "lookup", "description": "d",
		"parameters": map[string]any{"type": "object", "properties": map[string]any{"q": map[string]any{"type": "string"}}}}}}
	status, out := e.chat(coherev2("cohere.command-a-03-2025", map[string]any{"tools": tools,
		"messages": []any{map[string]any{"role": "USER", "content": text("lookup for cats")}}}))
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	wantEq(t, "message", jsonString(t, get(out, "chatResponse", "message")),
		canon(t, `{"role":"ASSISTANT","toolCalls":[{"id":"`+id("lookup", 0)+`","type":"FUNCTION","function":{"name":"lookup","arguments":"{\"q\":\"cats\"}"}}]}`))
	wantEq(t, "finish", get(out, "chatResponse", "finishReason"), any("TOOL_CALL"))

	// tool result turn
	status, out = e.chat(coherev2("cohere.command-a-03-2025", map[string]any{"tools": tools, "messages": []any{
		map[string]any{"role": "USER", "content": text("lookup for cats")},
		map[string]any{"role": "ASSISTANT", "toolCalls": []any{map[string]any{"id": "c1", "type": "FUNCTION", "function": map[string]any{"name": "lookup", "arguments": "{}"}}}},
		map[string]any{"role": "TOOL", "toolCallId": "c1", "content": text("meow")},
	}}))
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	wantEq(t, "text", get(out, "chatResponse", "message", "content", 0, "text"), any("The tool c1 returned: meow"))
}

func TestCohereV2Reasoning(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	_, out := e.chat(coherev2("cohere.command-a-reasoning-08-2025", map[string]any{
		"messages": []any{map[string]any{"role": "USER", "content": text("Why")}}}))
	wantEq(t, "content", jsonString(t, get(out, "chatResponse", "message", "content")),
		canon(t, `[{"type":"THINKING","thinking":"Thinking about: Why"},{"type":"TEXT","text":"Hello from cohere.command-a-reasoning-08-2025! You said: Why"}]`))
	_, out = e.chat(coherev2("cohere.command-a-reasoning-08-2025", map[string]any{"thinking": map[string]any{"type": "DISABLED"},
		"messages": []any{map[string]any{"role": "USER", "content": text("Why")}}}))
	wantEq(t, "parts without thinking", len(get(out, "chatResponse", "message", "content").([]any)), 1)
}
