package handler_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
)

func TestCohereText(t *testing.T) {
	for _, stream := range []bool{false, true} {
		e := newEnv(t)
		p := userChat("command-a", "What is OCI")
		p.Messages = append([]openai.ChatCompletionMessageParamUnion{openai.SystemMessage("You are terse."), openai.UserMessage("Earlier question"), openai.AssistantMessage("Earlier answer")}, p.Messages...)
		p.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
		if !stream {
			p.StreamOptions = openai.ChatCompletionStreamOptionsParam{}
		}
		msg, finish := complete(t, e, p, stream)
		// The terminal COHERE event repeats the whole text: it must not be sent twice.
		if want := "Hello from cohere.command-a-03-2025! You said: What is OCI"; msg.Content != want || finish != "stop" {
			t.Fatalf("stream %v: content %q finish %q", stream, msg.Content, finish)
		}
		cr := lastOCIRequest(t, e)["chatRequest"].(map[string]any)
		hist, _ := json.Marshal(cr["chatHistory"])
		if cr["apiFormat"] != "COHERE" || cr["message"] != "What is OCI" || cr["preambleOverride"] != "You are terse." ||
			string(hist) != `[{"message":"Earlier question","role":"USER"},{"message":"Earlier answer","role":"CHATBOT"}]` {
			t.Errorf("sent %v", cr)
		}
	}
}

func TestCohereUsageInStream(t *testing.T) {
	e := newEnv(t)
	p := userChat("command-r", "count my words please")
	p.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	s := e.client.Chat.Completions.NewStreaming(context.Background(), p)
	var usage openai.CompletionUsage
	var text strings.Builder
	for s.Next() {
		ch := s.Current()
		if len(ch.Choices) == 0 {
			usage = ch.Usage
		}
		for _, c := range ch.Choices {
			text.WriteString(c.Delta.Content)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if usage.TotalTokens == 0 || usage.PromptTokens != 4 || !strings.HasSuffix(text.String(), "count my words please") {
		t.Errorf("usage %+v text %q", usage, text.String())
	}
}

func TestCohereTools(t *testing.T) {
	for _, stream := range []bool{false, true} {
		e := newEnv(t)
		p := userChat("command-a", "Please call get_weather for Paris")
		p.Tools = []openai.ChatCompletionToolUnionParam{weatherTool()}
		msg, finish := complete(t, e, p, stream)
		if finish != "tool_calls" || len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Function.Name != "get_weather" || msg.ToolCalls[0].ID == "" {
			t.Fatalf("stream %v: finish %q calls %+v", stream, finish, msg.ToolCalls)
		}
		var args map[string]any
		if json.Unmarshal([]byte(msg.ToolCalls[0].Function.Arguments), &args) != nil || args["city"] != "Paris" {
			t.Fatalf("arguments %q", msg.ToolCalls[0].Function.Arguments)
		}
		tools, _ := json.Marshal(lastOCIRequest(t, e)["chatRequest"].(map[string]any)["tools"])
		if !strings.Contains(string(tools), `"parameterDefinitions":{"city":{"isRequired":true,"type":"str"}}`) {
			t.Errorf("tools sent as %s", tools)
		}
		// The generated id maps the result back to Cohere's call (name + parameters) in toolResults.
		p.Messages = append(p.Messages, msg.ToParam(), openai.ToolMessage(`{"temperature":21}`, msg.ToolCalls[0].ID))
		msg2, finish2 := complete(t, e, p, stream)
		if finish2 != "stop" || !strings.Contains(msg2.Content, "get_weather") || !strings.Contains(msg2.Content, "21") {
			t.Fatalf("after the tool result: %q %q", finish2, msg2.Content)
		}
		results, _ := json.Marshal(lastOCIRequest(t, e)["chatRequest"].(map[string]any)["toolResults"])
		if string(results) != `[{"call":{"name":"get_weather","parameters":{"city":"Paris"}},"outputs":[{"temperature":21}]}]` {
			t.Errorf("toolResults sent as %s", results)
		}
	}
}

const redPixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="

func imageChat(model string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{Model: model, Messages: []openai.ChatCompletionMessageParamUnion{
		openai.UserMessage([]openai.ChatCompletionContentPartUnionParam{
			openai.TextContentPart("What is in this picture"),
			openai.ImageContentPart(openai.ChatCompletionContentPartImageImageURLParam{URL: redPixel}),
		}),
	}}
}

func TestCohereV2Vision(t *testing.T) {
	for _, model := range []string{"command-a-vision", "command-a"} { // a COHERE model with an image switches to V2
		for _, stream := range []bool{false, true} {
			e := newEnv(t)
			msg, finish := complete(t, e, imageChat(model), stream)
			if !strings.Contains(msg.Content, "You said: What is in this picture [1 image(s)]") || finish != "stop" {
				t.Fatalf("%s stream %v: %q %q", model, stream, msg.Content, finish)
			}
			cr := lastOCIRequest(t, e)["chatRequest"].(map[string]any)
			content, _ := json.Marshal(cr["messages"].([]any)[0].(map[string]any)["content"])
			if cr["apiFormat"] != "COHEREV2" || !strings.Contains(string(content), `"type":"IMAGE_URL"`) {
				t.Errorf("sent %v", cr)
			}
		}
	}
}

func TestGenericImage(t *testing.T) {
	e := newEnv(t)
	msg, _ := complete(t, e, imageChat("llama"), false)
	if !strings.HasSuffix(msg.Content, "[1 image(s)]") {
		t.Fatalf("content %q", msg.Content)
	}
	content, _ := json.Marshal(lastOCIRequest(t, e)["chatRequest"].(map[string]any)["messages"].([]any)[0].(map[string]any)["content"])
	if !strings.Contains(string(content), `{"imageUrl":{"url":"`+redPixel+`"},"type":"IMAGE"}`) {
		t.Errorf("image sent as %s", content)
	}
}
