package ocisim_test

import (
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/ocisim"
)

func TestChatValidation(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	llama := "meta.llama-3.3-70b-instruct"
	with := func(extra map[string]any) map[string]any { return generic(llama, extra, userMsg("hi")) }
	tool := map[string]any{"type": "FUNCTION", "name": "f"}
	cases := []struct {
		name   string
		body   any
		status int
		code   string
		msg    string
	}{
		{"not json", []byte("{"), 400, "CannotParseRequest", "not valid JSON"},
		{"array body", []byte("[]"), 400, "CannotParseRequest", "must be a JSON object"},
		{"no compartment", map[string]any{"servingMode": map[string]any{"servingType": "ON_DEMAND", "modelId": llama}, "chatRequest": map[string]any{"apiFormat": "GENERIC"}},
			400, "InvalidParameter", "compartmentId is required"},
		{"no serving mode", map[string]any{"compartmentId": compartment, "chatRequest": map[string]any{}}, 400, "InvalidParameter", "servingMode is required"},
		{"bad serving type", map[string]any{"compartmentId": compartment, "servingMode": map[string]any{"servingType": "X"}}, 400, "InvalidParameter", "servingType"},
		{"no model id", generic("", nil, userMsg("hi")), 400, "InvalidParameter", "modelId is required"},
		{"unknown model", generic("acme.super-1", nil, userMsg("hi")), 404, "NotAuthorizedOrNotFound", "Entity with key acme.super-1 not found"},
		{"bad endpoint id", map[string]any{"compartmentId": compartment, "servingMode": map[string]any{"servingType": "DEDICATED", "endpointId": "ocid1.instance.oc1..x"}},
			404, "NotAuthorizedOrNotFound", "not found"},
		{"no chatRequest", map[string]any{"compartmentId": compartment, "servingMode": map[string]any{"servingType": "ON_DEMAND", "modelId": llama}},
			400, "InvalidParameter", "chatRequest is required"},
		{"no apiFormat", envelope(llama, map[string]any{"messages": []any{userMsg("hi")}}), 400, "InvalidParameter", "apiFormat is required"},
		{"bad apiFormat", envelope(llama, map[string]any{"apiFormat": "OPENAI"}), 400, "InvalidParameter", "Invalid chatRequest.apiFormat"},
		{"GENERIC to cohere", generic("cohere.command-a-03-2025", nil, userMsg("hi")), 400, "InvalidParameter", "Chat request type does not match serving model."},
		{"COHERE to llama", envelope(llama, map[string]any{"apiFormat": "COHERE", "message": "hi"}), 400, "InvalidParameter", "Chat request type does not match serving model."},
		{"COHEREV2 to command-r", envelope("cohere.command-r-08-2024", map[string]any{"apiFormat": "COHEREV2", "messages": []any{userMsg("hi")}}),
			400, "InvalidParameter", "does not match"},
		{"chat on embed model", generic("cohere.embed-v4.0", nil, userMsg("hi")), 400, "InvalidParameter", "does not support chat"},
		{"no messages", generic(llama, nil), 400, "InvalidParameter", "messages must not be empty"},
		{"lower-case role", generic(llama, nil, map[string]any{"role": "user", "content": text("hi")}), 400, "InvalidParameter", "Invalid value 'user'"},
		{"string content", generic(llama, nil, map[string]any{"role": "USER", "content": "hi"}), 400, "InvalidParameter", "must be an array of content parts"},
		{"missing content", generic(llama, nil, map[string]any{"role": "USER"}), 400, "InvalidParameter", "content is required"},
		{"text part without text", generic(llama, nil, map[string]any{"role": "USER", "content": []any{map[string]any{"type": "TEXT"}}}),
			400, "InvalidParameter", "missing its text"},
		{"image without url", generic(llama, nil, map[string]any{"role": "USER", "content": []any{map[string]any{"type": "IMAGE", "imageUrl": map[string]any{}}}}),
			400, "InvalidParameter", "imageUrl.url"},
		{"openai image_url part", generic(llama, nil, map[string]any{"role": "USER", "content": []any{map[string]any{"type": "image_url"}}}),
			400, "InvalidParameter", "Invalid value 'image_url'"},
		{"tool without toolCallId", generic(llama, nil, userMsg("hi"), map[string]any{"role": "TOOL", "content": text("x")}),
			400, "InvalidParameter", "toolCallId is required"},
		{"nested tool call", generic(llama, nil, userMsg("hi"), map[string]any{"role": "ASSISTANT", "toolCalls": []any{
			map[string]any{"id": "1", "type": "function", "function": map[string]any{"name": "f", "arguments": "{}"}}}}),
			400, "InvalidParameter", "Invalid value 'function'"},
		{"string toolChoice", with(map[string]any{"tools": []any{tool}, "toolChoice": "auto"}), 400, "InvalidParameter", "toolChoice must be an object"},
		{"bad toolChoice type", with(map[string]any{"tools": []any{tool}, "toolChoice": map[string]any{"type": "ANY"}}), 400, "InvalidParameter", "toolChoice.type"},
		{"function toolChoice without name", with(map[string]any{"tools": []any{tool}, "toolChoice": map[string]any{"type": "FUNCTION"}}),
			400, "InvalidParameter", "toolChoice.name is required"},
		{"function toolChoice unknown", with(map[string]any{"tools": []any{tool}, "toolChoice": map[string]any{"type": "FUNCTION", "name": "g"}}),
			400, "InvalidParameter", "does not match any tool"},
		{"openai tool shape", with(map[string]any{"tools": []any{map[string]any{"type": "function", "function": map[string]any{"name": "f"}}}}),
			400, "InvalidParameter", "tools[0].type"},
		{"tool without name", with(map[string]any{"tools": []any{map[string]any{"type": "FUNCTION"}}}), 400, "InvalidParameter", "tools[0].name is required"},
		{"json schema with strict", with(map[string]any{"responseFormat": map[string]any{"type": "JSON_SCHEMA",
			"jsonSchema": map[string]any{"name": "x", "schema": map[string]any{}, "strict": true}}}), 400, "InvalidParameter", "Unrecognized field 'strict'"},
		{"json schema without name", with(map[string]any{"responseFormat": map[string]any{"type": "JSON_SCHEMA", "jsonSchema": map[string]any{"schema": map[string]any{}}}}),
			400, "InvalidParameter", "jsonSchema.name is required"},
		{"openai response format", with(map[string]any{"responseFormat": map[string]any{"type": "json_object"}}), 400, "InvalidParameter", "responseFormat.type"},
		{"lower-case reasoningEffort", with(map[string]any{"reasoningEffort": "low"}), 400, "InvalidParameter", "reasoningEffort"},
		{"maxTokens on gpt-5", generic("openai.gpt-5-mini", map[string]any{"maxTokens": 10}, userMsg("hi")), 400, "InvalidParameter", "Use 'maxCompletionTokens'"},
		{"maxTokens on o3", generic("openai.o3", map[string]any{"maxTokens": 10}, userMsg("hi")), 400, "InvalidParameter", "maxCompletionTokens"},
		{"zero maxTokens", with(map[string]any{"maxTokens": 0}), 400, "InvalidParameter", "maxTokens must be at least 1"},
		{"string maxTokens", with(map[string]any{"maxTokens": "10"}), 400, "CannotParseRequest", "chatRequest.maxTokens"},
		{"fractional maxTokens", with(map[string]any{"maxTokens": 1.5}), 400, "CannotParseRequest", "maxTokens"},
		{"string isStream", with(map[string]any{"isStream": "true"}), 400, "CannotParseRequest", "isStream"},
		{"stop as string", with(map[string]any{"stop": "x"}), 400, "CannotParseRequest", "stop"},
		// COHERE
		{"cohere empty message", envelope("cohere.command-a-03-2025", map[string]any{"apiFormat": "COHERE", "message": ""}), 400, "InvalidParameter", "message must not be empty"},
		{"cohere message array with image", envelope("cohere.command-a-03-2025", map[string]any{"apiFormat": "COHERE",
			"message": []any{map[string]any{"type": "IMAGE_URL", "imageUrl": map[string]any{"url": "data:x"}}}}), 400, "InvalidParameter", "Images are not supported"},
		{"cohere JSON_SCHEMA", envelope("cohere.command-a-03-2025", map[string]any{"apiFormat": "COHERE", "message": "x",
			"responseFormat": map[string]any{"type": "JSON_SCHEMA"}}), 400, "InvalidParameter", "responseFormat.type"},
		{"cohere bad history role", envelope("cohere.command-a-03-2025", map[string]any{"apiFormat": "COHERE", "message": "x",
			"chatHistory": []any{map[string]any{"role": "ASSISTANT", "message": "y"}}}), 400, "InvalidParameter", "Invalid value 'ASSISTANT'"},
		{"cohere tool without description", envelope("cohere.command-a-03-2025", map[string]any{"apiFormat": "COHERE", "message": "x",
			"tools": []any{map[string]any{"name": "f"}}}), 400, "InvalidParameter", "description is required"},
		// COHEREV2
		{"v2 generic image part", envelope("cohere.command-a-vision-07-2025", map[string]any{"apiFormat": "COHEREV2", "messages": []any{
			map[string]any{"role": "USER", "content": []any{map[string]any{"type": "IMAGE", "imageUrl": map[string]any{"url": "data:x"}}}}}}),
			400, "InvalidParameter", "Invalid value 'IMAGE'"},
		{"v2 string content", envelope("cohere.command-a-03-2025", map[string]any{"apiFormat": "COHEREV2", "messages": []any{
			map[string]any{"role": "USER", "content": "hi"}}}), 400, "InvalidParameter", "must be an array"},
		{"v2 bad toolsChoice", envelope("cohere.command-a-03-2025", map[string]any{"apiFormat": "COHEREV2", "toolsChoice": "AUTO",
			"messages": []any{userMsg("hi")}}), 400, "InvalidParameter", "toolsChoice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out := e.chat(c.body)
			if status != c.status || out["code"] != c.code {
				t.Fatalf("got %d %v, want %d %s", status, out, c.status, c.code)
			}
			if msg, _ := out["message"].(string); !strings.Contains(msg, c.msg) {
				t.Errorf("message %q does not contain %q", msg, c.msg)
			}
		})
	}
}

// Unknown fields are tolerated (the service decodes leniently).
func TestChatUnknownFieldsTolerated(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	body := generic("meta.llama-3.3-70b-instruct", map[string]any{"somethingNew": map[string]any{"x": 1}, "temperature": 0.2, "topK": -1},
		map[string]any{"role": "USER", "content": text("hi"), "futureField": true})
	body["extraTopLevel"] = 1
	if status, out := e.chat(body); status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
}
