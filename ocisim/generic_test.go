package ocisim_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/ocisim"
)

func TestGenericText(t *testing.T) {
	fixed := time.Date(2025, 1, 2, 3, 4, 5, 678e6, time.UTC)
	e := newEnv(t, ocisim.Options{Now: func() time.Time { return fixed }})
	// Date must match the fixed clock.
	e.signer = apiKeySigner(e.id)
	body := generic("meta.llama-3.3-70b-instruct", map[string]any{"maxTokens": 50},
		map[string]any{"role": "SYSTEM", "content": text("be nice")},
		userMsg("first question"),
		map[string]any{"role": "ASSISTANT", "content": text("an answer")},
		userMsg("What is up?"),
	)
	req := newRequest(t, e.srv.URL+"/20231130/actions/chat", mustJSON(t, body), e.signer, fixed)
	resp := e.do(req)
	defer resp.Body.Close()
	wantEq(t, "status", resp.StatusCode, 200)
	wantEq(t, "content-type", resp.Header.Get("Content-Type"), "application/json")
	if !regexp.MustCompile(`^[0-9A-F]{32}$`).MatchString(resp.Header.Get("opc-request-id")) {
		t.Errorf("opc-request-id %q", resp.Header.Get("opc-request-id"))
	}
	got := readAll(t, resp)
	want := `{"modelId":"meta.llama-3.3-70b-instruct","modelVersion":"1.0.0","chatResponse":{"apiFormat":"GENERIC","timeCreated":"2025-01-02T03:04:05.678Z","choices":[{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"Hello from meta.llama-3.3-70b-instruct! You said: What is up?"}]},"finishReason":"stop"}],"usage":{"completionTokens":8,"promptTokens":9,"totalTokens":17,"promptTokensDetails":{"cachedTokens":0}}}}`
	wantEq(t, "body", got, want)
}

func TestGenericAnswerRules(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	img := map[string]any{"type": "IMAGE", "imageUrl": map[string]any{"url": "data:image/png;base64,AAAA"}}
	cases := []struct {
		name, model string
		extra       map[string]any
		msgs        []map[string]any
		text        string
		finish      string
	}{
		{"images", "meta.llama-3.2-90b-vision-instruct", nil,
			[]map[string]any{{"role": "USER", "content": []any{map[string]any{"type": "TEXT", "text": "what"}, img, map[string]any{"type": "TEXT", "text": "is this"}, img}}},
			"Hello from meta.llama-3.2-90b-vision-instruct! You said: what is this [2 image(s)]", "stop"},
		{"tool result", "xai.grok-4", nil,
			[]map[string]any{userMsg("weather?"),
				{"role": "ASSISTANT", "toolCalls": []any{map[string]any{"type": "FUNCTION", "id": "call_1", "name": "w", "arguments": "{}"}}},
				{"role": "TOOL", "toolCallId": "call_1", "content": text("sunny")}},
			"The tool call_1 returned: sunny", "stop"},
		{"json object", "xai.grok-4", map[string]any{"responseFormat": map[string]any{"type": "JSON_OBJECT"}},
			[]map[string]any{userMsg("a <b>")},
			`{"answer":"Hello from xai.grok-4! You said: a <b>"}`, "stop"},
		{"json schema", "xai.grok-4", map[string]any{"responseFormat": map[string]any{"type": "JSON_SCHEMA", "jsonSchema": map[string]any{"name": "x", "schema": map[string]any{"type": "object"}, "isStrict": true}}},
			[]map[string]any{userMsg("hi")},
			`{"answer":"Hello from xai.grok-4! You said: hi"}`, "stop"},
		{"stop sequence", "meta.llama-3.3-70b-instruct", map[string]any{"stop": []string{"said", "!"}},
			[]map[string]any{userMsg("hi")},
			"Hello from meta.llama-3.3-70b-instruct", "stop"},
		{"max tokens", "meta.llama-3.3-70b-instruct", map[string]any{"maxTokens": 3},
			[]map[string]any{userMsg("hi")},
			"Hello from meta.llama-3.3-70b-instruct! ", "length"},
		{"max completion tokens", "openai.gpt-5", map[string]any{"maxCompletionTokens": 2},
			[]map[string]any{userMsg("hi")},
			"Hello from ", "length"},
		{"gpt-oss accepts maxTokens", "openai.gpt-oss-120b", map[string]any{"maxTokens": 100},
			[]map[string]any{userMsg("hi")},
			"Hello from openai.gpt-oss-120b! You said: hi", "stop"},
		{"last user message wins", "google.gemini-2.5-flash", nil,
			[]map[string]any{userMsg("one"), {"role": "ASSISTANT", "content": text("x")}, userMsg("two"), {"role": "DEVELOPER", "content": text("y")}},
			"Hello from google.gemini-2.5-flash! You said: two", "stop"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out := e.chat(generic(c.model, c.extra, c.msgs...))
			if status != 200 {
				t.Fatalf("status %d: %v", status, out)
			}
			wantEq(t, "text", get(out, "chatResponse", "choices", 0, "message", "content", 0, "text"), any(c.text))
			wantEq(t, "finishReason", get(out, "chatResponse", "choices", 0, "finishReason"), any(c.finish))
		})
	}
}

func TestGenericUsageAndChoices(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	img := map[string]any{"type": "IMAGE", "imageUrl": map[string]any{"url": "data:image/png;base64,AAAA"}}
	_, out := e.chat(generic("meta.llama-3.3-70b-instruct", map[string]any{"numGenerations": 2},
		map[string]any{"role": "USER", "content": []any{map[string]any{"type": "TEXT", "text": "a b c"}, img}}))
	choices := get(out, "chatResponse", "choices").([]any)
	wantEq(t, "choices", len(choices), 2)
	wantEq(t, "index 1", get(choices[1], "index"), any(float64(1)))
	wantEq(t, "same text", get(choices[1], "message", "content", 0, "text"), get(choices[0], "message", "content", 0, "text"))
	// "Hello from meta.llama-3.3-70b-instruct! You said: a b c [1 image(s)]" = 10 tokens, twice
	wantEq(t, "usage", jsonString(t, get(out, "chatResponse", "usage")),
		`{"completionTokens":20,"promptTokens":88,"promptTokensDetails":{"cachedTokens":0},"totalTokens":108}`)
}

func TestGenericReasoning(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	for _, c := range []struct {
		model  string
		effort string
		want   bool
	}{
		{"openai.gpt-oss-20b", "", true},
		{"openai.o4-mini", "", true},
		{"openai.gpt-5", "", true},
		{"openai.gpt-5", "NONE", false},
		{"xai.grok-3-mini", "", true},
		{"xai.grok-4-fast-reasoning", "", true},
		{"xai.grok-4-fast-non-reasoning", "", false},
		{"meta.llama-3.3-70b-instruct", "", false},
		{"meta.llama-3.3-70b-instruct", "LOW", true},
	} {
		extra := map[string]any{}
		if c.effort != "" {
			extra["reasoningEffort"] = c.effort
		}
		status, out := e.chat(generic(c.model, extra, userMsg("why is the sky blue")))
		if status != 200 {
			t.Fatalf("%s: status %d %v", c.model, status, out)
		}
		rc, _ := get(out, "chatResponse", "choices", 0, "message", "reasoningContent").(string)
		if c.want != (rc != "") {
			t.Errorf("%s effort %q: reasoningContent %q", c.model, c.effort, rc)
			continue
		}
		if !c.want {
			if get(out, "chatResponse", "usage", "completionTokensDetails") != nil {
				t.Errorf("%s: completionTokensDetails without reasoning", c.model)
			}
			continue
		}
		wantEq(t, c.model+" reasoning", rc, "Thinking about: why is the sky blue")
		wantEq(t, c.model+" reasoningTokens", get(out, "chatResponse", "usage", "completionTokensDetails", "reasoningTokens"), any(float64(7)))
	}
}

func TestGenericToolCalls(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	weather := map[string]any{"type": "FUNCTION", "name": "get_weather", "description": "w",
		"parameters": map[string]any{"type": "object", "properties": map[string]any{
			"city": map[string]any{"type": "string"}, "days": map[string]any{"type": "integer"},
			"unit": map[string]any{"type": "string", "enum": []string{"C", "F"}}, "verbose": map[string]any{"type": "boolean"},
		}, "required": []string{"city", "days", "unit"}}}
	clock := map[string]any{"type": "FUNCTION", "name": "get_time", "parameters": map[string]any{"type": "object", "properties": map[string]any{
		"zone": map[string]any{"type": "string"}, "tags": map[string]any{"type": "array"}, "opts": map[string]any{"type": "object"}, "n": map[string]any{"type": "number"}, "ok": map[string]any{"type": "boolean"}}}}
	tools := []any{weather, clock}
	weatherArgs := `{"city":"Paris","days":1,"unit":"C"}`
	timeArgs := `{"n":1,"ok":true,"opts":{},"tags":[],"zone":"Paris"}`

	cases := []struct {
		name, model, prompt string
		extra               map[string]any
		want                []string // name:arguments; empty = text answer
		noID                bool
	}{
		{"named in text", "xai.grok-4", "Use get_weather for Paris.", nil, []string{"get_weather:" + weatherArgs}, false},
		{"two named, parallel", "meta.llama-3.3-70b-instruct", "call get_time and get_weather for Paris", nil,
			[]string{"get_time:" + timeArgs, "get_weather:" + weatherArgs}, false},
		{"two named, not parallel", "meta.llama-3.3-70b-instruct", "call get_time and get_weather for Paris",
			map[string]any{"isParallelToolCalls": false}, []string{"get_time:" + timeArgs}, false},
		{"required, none named", "openai.gpt-4.1", "hello", map[string]any{"toolChoice": map[string]any{"type": "REQUIRED"}},
			[]string{`get_weather:{"city":"example","days":1,"unit":"C"}`}, false},
		{"function choice", "openai.gpt-4.1", "hello for Rome", map[string]any{"toolChoice": map[string]any{"type": "FUNCTION", "name": "get_time"}},
			[]string{`get_time:{"n":1,"ok":true,"opts":{},"tags":[],"zone":"Rome"}`}, false},
		{"none choice", "openai.gpt-4.1", "use get_weather", map[string]any{"toolChoice": map[string]any{"type": "NONE"}}, nil, false},
		{"not mentioned", "openai.gpt-4.1", "what's the weather", nil, nil, false},
		{"substring is not a mention", "openai.gpt-4.1", "get_weathers", nil, nil, false},
		{"arguments spelled out", "xai.grok-4", `Use get_weather {"unit":"F", "city":"Nice"} for Paris`, nil, []string{`get_weather:{"city":"Nice","unit":"F"}`}, false},
		{"google has no ids", "google.gemini-2.5-pro", "GET_WEATHER for Oslo", nil, []string{`get_weather:{"city":"Oslo","days":1,"unit":"C"}`}, true},
		{"a backtick span after for is the whole value", "xai.grok-4", "Use get_weather for `New York,\n NY` today", nil,
			[]string{`get_weather:{"city":"New York,\n NY","days":1,"unit":"C"}`}, false},
		{"an unclosed backtick is a word", "xai.grok-4", "Use get_weather for `Rome", nil, []string{`get_weather:{"city":"Rome","days":1,"unit":"C"}`}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			extra := map[string]any{"tools": tools}
			for k, v := range c.extra {
				extra[k] = v
			}
			status, out := e.chat(generic(c.model, extra, userMsg(c.prompt)))
			if status != 200 {
				t.Fatalf("status %d: %v", status, out)
			}
			msg := get(out, "chatResponse", "choices", 0, "message")
			finish := get(out, "chatResponse", "choices", 0, "finishReason")
			if c.want == nil {
				wantEq(t, "finishReason", finish, any("stop"))
				if get(msg, "toolCalls") != nil {
					t.Errorf("unexpected tool calls %v", msg)
				}
				return
			}
			wantEq(t, "finishReason", finish, any("tool_calls"))
			if get(msg, "content") != nil {
				t.Errorf("content alongside tool calls: %v", msg)
			}
			calls, _ := get(msg, "toolCalls").([]any)
			wantEq(t, "calls", len(calls), len(c.want))
			for i, w := range c.want {
				if i >= len(calls) {
					break
				}
				wantEq(t, "type", get(calls[i], "type"), any("FUNCTION"))
				wantEq(t, "call", get(calls[i], "name").(string)+":"+get(calls[i], "arguments").(string), w)
				id, _ := get(calls[i], "id").(string)
				if c.noID != (id == "") || (id != "" && !regexp.MustCompile(`^call_[0-9a-f]{8}$`).MatchString(id)) {
					t.Errorf("id %q", id)
				}
			}
		})
	}
}

// Tool-call ids are deterministic (tests and fixtures can hard-code them).
func TestToolCallIDStable(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	body := generic("xai.grok-4", map[string]any{"tools": []any{map[string]any{"type": "FUNCTION", "name": "f"}}}, userMsg("call f"))
	_, a := e.chat(body)
	_, b := e.chat(body)
	id := get(a, "chatResponse", "choices", 0, "message", "toolCalls", 0, "id")
	wantEq(t, "id", id, get(b, "chatResponse", "choices", 0, "message", "toolCalls", 0, "id"))
	wantEq(t, "arguments", get(a, "chatResponse", "choices", 0, "message", "toolCalls", 0, "arguments"), any("{}"))
}

func TestDedicatedEndpoint(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	ep := "ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaaexample"
	body := generic("", nil, userMsg("hi"))
	body["servingMode"] = map[string]any{"servingType": "DEDICATED", "endpointId": ep}
	status, out := e.chat(body)
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	wantEq(t, "text", get(out, "chatResponse", "choices", 0, "message", "content", 0, "text"), any("Hello from "+ep+"! You said: hi"))

	body["servingMode"] = map[string]any{"servingType": "DEDICATED", "endpointId": ep + "cohere"}
	status, out = e.chat(body)
	wantEq(t, "cohere endpoint + GENERIC", status, 400)
	wantEq(t, "message", out["message"], any("Chat request type does not match serving model."))
}
