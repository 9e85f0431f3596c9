package handler_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"
)

func userChat(model, text string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{Model: model, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(text)}}
}

func TestChatNonStreaming(t *testing.T) {
	e := newEnv(t)
	p := userChat("llama", "Hi there")
	p.Messages = append([]openai.ChatCompletionMessageParamUnion{openai.SystemMessage("Be brief.")}, p.Messages...)
	comp, err := e.client.Chat.Completions.New(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := comp.Choices[0].Message.Content, "Hello from meta.llama-3.3-70b-instruct! You said: Hi there"; got != want {
		t.Errorf("content = %q, want %q", got, want)
	}
	if comp.Model != "llama" || comp.Object != "chat.completion" || !strings.HasPrefix(comp.ID, "chatcmpl-") || comp.Created == 0 {
		t.Errorf("envelope = id %q object %q model %q created %d", comp.ID, comp.Object, comp.Model, comp.Created)
	}
	if comp.Choices[0].FinishReason != "stop" {
		t.Errorf("finish_reason = %q", comp.Choices[0].FinishReason)
	}
	if comp.Usage.PromptTokens == 0 || comp.Usage.TotalTokens != comp.Usage.PromptTokens+comp.Usage.CompletionTokens {
		t.Errorf("usage = %+v", comp.Usage)
	}
	// What reached OCI: the SDK's wire shape with the default max tokens and the configured compartment.
	sent := lastOCIRequest(t, e)
	if sent["compartmentId"] != testCompartment {
		t.Errorf("compartmentId = %v", sent["compartmentId"])
	}
	cr := sent["chatRequest"].(map[string]any)
	if cr["apiFormat"] != "GENERIC" || cr["maxTokens"] != float64(4000) || cr["isStream"] == true {
		t.Errorf("chatRequest = %v", cr)
	}
	msgs := cr["messages"].([]any)
	if msgs[0].(map[string]any)["role"] != "SYSTEM" || msgs[1].(map[string]any)["role"] != "USER" {
		t.Errorf("messages = %v", msgs)
	}
}

func lastOCIRequest(t *testing.T, e *env) map[string]any {
	t.Helper()
	reqs := e.sim.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Path == "/20231130/models" { // /test-oci's ListModels: no body
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(reqs[i].Body, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	t.Fatal("no request reached the simulator")
	return nil
}

func TestChatStreaming(t *testing.T) {
	for _, model := range []string{"llama", "grok", "gemini", "gpt-oss"} {
		t.Run(model, func(t *testing.T) {
			e := newEnv(t)
			p := userChat(model, "Tell me a story")
			p.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
			stream := e.client.Chat.Completions.NewStreaming(context.Background(), p)
			var acc openai.ChatCompletionAccumulator
			var chunks, finishes, usageChunks int
			for stream.Next() {
				ch := stream.Current()
				if chunks == 0 && (len(ch.Choices) != 1 || ch.Choices[0].Delta.Role != "assistant") {
					t.Errorf("first chunk is not the role chunk: %s", ch.RawJSON())
				}
				chunks++
				acc.AddChunk(ch)
				for _, c := range ch.Choices {
					if c.FinishReason != "" {
						finishes++
					}
				}
				if len(ch.Choices) == 0 {
					usageChunks++
					if ch.Usage.TotalTokens == 0 {
						t.Errorf("usage chunk without usage: %s", ch.RawJSON())
					}
				}
			}
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
			id := map[string]string{"llama": "meta.llama-3.3-70b-instruct", "grok": "xai.grok-4", "gemini": "google.gemini-2.5-flash", "gpt-oss": "openai.gpt-oss-120b"}[model]
			if got, want := acc.Choices[0].Message.Content, "Hello from "+id+"! You said: Tell me a story"; got != want {
				t.Errorf("content = %q, want %q", got, want)
			}
			if finishes != 1 || usageChunks != 1 || acc.Choices[0].FinishReason != "stop" {
				t.Errorf("finish chunks %d, usage chunks %d, finish %q", finishes, usageChunks, acc.Choices[0].FinishReason)
			}
			cr := lastOCIRequest(t, e)["chatRequest"].(map[string]any)
			if cr["isStream"] != true || cr["streamOptions"].(map[string]any)["isIncludeUsage"] != true {
				t.Errorf("chatRequest = %v", cr)
			}
		})
	}
}

func TestStreamEndsWithDone(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, "POST", "/v1/chat/completions", `{"model":"grok","stream":true,"messages":[{"role":"user","content":"hi"}]}`)
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	ev := sseEvents(t, res)
	if ev[len(ev)-1] != "[DONE]" {
		t.Fatalf("last event %q", ev[len(ev)-1])
	}
	for _, d := range ev[:len(ev)-1] {
		var ch struct {
			Object string `json:"object"`
			Model  string `json:"model"`
		}
		if err := json.Unmarshal([]byte(d), &ch); err != nil || ch.Object != "chat.completion.chunk" || ch.Model != "grok" {
			t.Fatalf("bad chunk %s", d)
		}
		if strings.Contains(d, `"usage"`) {
			t.Errorf("usage sent without include_usage: %s", d)
		}
	}
}

func weatherTool() openai.ChatCompletionToolUnionParam {
	return openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
		Name:        "get_weather",
		Description: openai.String("Current weather in a city"),
		Parameters: shared.FunctionParameters{
			"type":       "object",
			"properties": map[string]any{"city": map[string]any{"type": "string"}},
			"required":   []string{"city"},
		},
	})
}

func TestToolsRoundTrip(t *testing.T) {
	for _, model := range []string{"grok", "llama", "gemini"} {
		for _, stream := range []bool{false, true} {
			t.Run(model+map[bool]string{false: "", true: "/stream"}[stream], func(t *testing.T) {
				e := newEnv(t)
				p := userChat(model, "Please call get_weather for Paris")
				p.Tools = []openai.ChatCompletionToolUnionParam{weatherTool()}
				msg, finish := complete(t, e, p, stream)
				if finish != "tool_calls" || len(msg.ToolCalls) != 1 {
					t.Fatalf("finish %q, tool calls %+v", finish, msg.ToolCalls)
				}
				call := msg.ToolCalls[0]
				if call.Function.Name != "get_weather" || call.ID == "" || call.Type != "function" {
					t.Fatalf("tool call %+v", call)
				}
				var args map[string]any
				if err := json.Unmarshal([]byte(call.Function.Arguments), &args); err != nil || args["city"] != "Paris" {
					t.Fatalf("arguments %q", call.Function.Arguments)
				}
				// Second turn: the tool result goes back; the assistant turn is replayed as OpenAI SDKs do.
				p.Messages = append(p.Messages, msg.ToParam(), openai.ToolMessage("sunny, 21C", call.ID))
				msg2, finish2 := complete(t, e, p, stream)
				if finish2 != "stop" || !strings.Contains(msg2.Content, "sunny, 21C") {
					t.Fatalf("after tool result: finish %q content %q", finish2, msg2.Content)
				}
				cr := lastOCIRequest(t, e)["chatRequest"].(map[string]any)
				msgs := cr["messages"].([]any)
				asst, tool := msgs[1].(map[string]any), msgs[2].(map[string]any)
				tc := asst["toolCalls"].([]any)[0].(map[string]any)
				if asst["role"] != "ASSISTANT" || tc["name"] != "get_weather" || tc["id"] != call.ID || tc["type"] != "FUNCTION" {
					t.Errorf("assistant turn sent as %v", asst)
				}
				if tool["role"] != "TOOL" || tool["toolCallId"] != call.ID {
					t.Errorf("tool turn sent as %v", tool)
				}
			})
		}
	}
}

// complete runs p streaming or not and returns the assistant message and finish reason.
func complete(t *testing.T, e *env, p openai.ChatCompletionNewParams, stream bool) (openai.ChatCompletionMessage, string) {
	t.Helper()
	if !stream {
		comp, err := e.client.Chat.Completions.New(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		return comp.Choices[0].Message, string(comp.Choices[0].FinishReason)
	}
	acc := accumulate(t, e, p)
	return acc.Choices[0].Message, string(acc.Choices[0].FinishReason)
}

// accumulate runs p as a stream and returns the SDK's accumulation of its chunks.
func accumulate(t *testing.T, e *env, p openai.ChatCompletionNewParams) openai.ChatCompletionAccumulator {
	t.Helper()
	s := e.client.Chat.Completions.NewStreaming(context.Background(), p)
	var acc openai.ChatCompletionAccumulator
	for s.Next() {
		acc.AddChunk(s.Current())
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return acc
}

func TestToolChoiceForms(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		choice string
		want   string
	}{
		{`"auto"`, `{"type":"AUTO"}`},
		{`"none"`, `{"type":"NONE"}`},
		{`"required"`, `{"type":"REQUIRED"}`},
		{`{"type":"function","function":{"name":"get_weather"}}`, `{"name":"get_weather","type":"FUNCTION"}`},
	} {
		body := `{"model":"grok","messages":[{"role":"user","content":"weather?"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],"tool_choice":` + tc.choice + `}`
		res := e.do(t, "POST", "/v1/chat/completions", body)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d: %v", tc.choice, res.StatusCode, decodeErr(t, res))
		}
		got, _ := json.Marshal(lastOCIRequest(t, e)["chatRequest"].(map[string]any)["toolChoice"])
		if string(got) != tc.want {
			t.Errorf("tool_choice %s sent as %s, want %s", tc.choice, got, tc.want)
		}
	}
}

func TestReasoningContent(t *testing.T) {
	e := newEnv(t)
	comp, err := e.client.Chat.Completions.New(context.Background(), userChat("grok-mini", "Why is the sky blue"))
	if err != nil {
		t.Fatal(err)
	}
	var rc string
	_ = json.Unmarshal([]byte(comp.Choices[0].Message.JSON.ExtraFields["reasoning_content"].Raw()), &rc)
	if rc != "Thinking about: Why is the sky blue" {
		t.Errorf("reasoning_content = %q", rc)
	}
	if comp.Usage.CompletionTokensDetails.ReasoningTokens == 0 {
		t.Errorf("no reasoning tokens in %+v", comp.Usage)
	}
	// Streaming: reasoning arrives as delta.reasoning_content before the answer.
	res := e.do(t, "POST", "/v1/chat/completions", `{"model":"grok-mini","stream":true,"messages":[{"role":"user","content":"Why"}]}`)
	var reasoning, content strings.Builder
	for _, d := range sseEvents(t, res) {
		if d == "[DONE]" {
			continue
		}
		var ch struct {
			Choices []struct {
				Delta struct {
					Content          string `json:"content"`
					ReasoningContent string `json:"reasoning_content"`
				} `json:"delta"`
			} `json:"choices"`
		}
		if err := json.Unmarshal([]byte(d), &ch); err != nil {
			t.Fatal(err)
		}
		for _, c := range ch.Choices {
			if c.Delta.ReasoningContent != "" && content.Len() > 0 {
				t.Error("reasoning after content")
			}
			reasoning.WriteString(c.Delta.ReasoningContent)
			content.WriteString(c.Delta.Content)
		}
	}
	if reasoning.String() != "Thinking about: Why" || content.String() != "Hello from xai.grok-3-mini! You said: Why" {
		t.Errorf("reasoning %q content %q", reasoning.String(), content.String())
	}
}

func TestMaxTokensPerFamily(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ body, field string }{
		{`{"model":"gpt-5","messages":[{"role":"user","content":"hi"}]}`, "maxCompletionTokens"},
		{`{"model":"gpt-oss","messages":[{"role":"user","content":"hi"}],"max_tokens":77}`, "maxTokens"},
		{`{"model":"llama","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":77}`, "maxTokens"},
	} {
		res := e.do(t, "POST", "/v1/chat/completions", tc.body)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %v", tc.body, decodeErr(t, res))
		}
		cr := lastOCIRequest(t, e)["chatRequest"].(map[string]any)
		if cr[tc.field] == nil {
			t.Errorf("%s: %s not sent: %v", tc.body, tc.field, cr)
		}
	}
}

func TestLengthFinish(t *testing.T) {
	e := newEnv(t)
	p := userChat("llama", "one two three four")
	p.MaxTokens = openai.Int(2)
	comp, err := e.client.Chat.Completions.New(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if comp.Choices[0].FinishReason != "length" || comp.Choices[0].Message.Content != "Hello from " {
		t.Errorf("finish %q content %q", comp.Choices[0].FinishReason, comp.Choices[0].Message.Content)
	}
}

func TestForceNonStream(t *testing.T) {
	e := newEnv(t, func(o *handlerOptions) { o.ForceNonStream = true })
	p := userChat("llama", "Hello")
	p.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	acc := accumulate(t, e, p)
	if acc.Choices[0].Message.Content != "Hello from meta.llama-3.3-70b-instruct! You said: Hello" || acc.Usage.TotalTokens == 0 {
		t.Errorf("content %q usage %+v", acc.Choices[0].Message.Content, acc.Usage)
	}
	if cr := lastOCIRequest(t, e)["chatRequest"].(map[string]any); cr["isStream"] == true {
		t.Error("OCI was asked to stream despite force_non_stream")
	}
}

func TestSDKTypedErrors(t *testing.T) {
	e := newEnv(t)
	_, err := e.client.Chat.Completions.New(context.Background(), userChat("nope", "hi"))
	var ae *openai.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound || ae.Code != "model_not_found" || !strings.Contains(ae.Message, "llama") {
		t.Fatalf("unknown model: %v", err)
	}
	bad := e.client
	_, err = bad.Chat.Completions.New(context.Background(), userChat("llama", "hi"), optionAPIKey("wrong"))
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusUnauthorized || ae.Code != "invalid_api_key" {
		t.Fatalf("wrong key: %v", err)
	}
	if n := len(e.sim.Requests()); n != 0 {
		t.Errorf("%d requests reached OCI for rejected calls", n)
	}
}
