package ocisim_test

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/oracle/oci-go-sdk/v65/common"
	gai "github.com/oracle/oci-go-sdk/v65/generativeaiinference"

	"github.com/ociai/ociai-proxy/ocisim"
)

// sdkClient is the real generated client pointed at the simulator, without
// retries or circuit breaker so failures surface at once.
func sdkClient(t *testing.T, e *env) gai.GenerativeAiInferenceClient {
	t.Helper()
	c, err := gai.NewGenerativeAiInferenceClientWithConfigurationProvider(rawProvider(e.id, e.id.PrivateKeyPEM))
	if err != nil {
		t.Fatal(err)
	}
	atSimulator(&c.BaseClient, e)
	return c
}

// atSimulator points a generated SDK client at the simulator, without retries or circuit breaker.
func atSimulator(c *common.BaseClient, e *env) {
	c.Host = e.srv.URL
	p := common.NoRetryPolicy()
	c.Configuration.RetryPolicy = &p
	c.Configuration.CircuitBreaker = common.NewCircuitBreaker(common.NoCircuitBreakerSetting())
}

func onDemand(id string) gai.OnDemandServingMode {
	return gai.OnDemandServingMode{ModelId: common.String(id)}
}

func TestSDKChatGeneric(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	c := sdkClient(t, e)
	resp, err := c.Chat(context.Background(), gai.ChatRequest{ChatDetails: gai.ChatDetails{
		CompartmentId: common.String(compartment),
		ServingMode:   onDemand("meta.llama-3.3-70b-instruct"),
		ChatRequest: gai.GenericChatRequest{
			MaxTokens: common.Int(100),
			Messages: []gai.Message{
				gai.SystemMessage{Content: []gai.ChatContent{gai.TextContent{Text: common.String("Be brief.")}}},
				gai.UserMessage{Content: []gai.ChatContent{gai.TextContent{Text: common.String("Hi there")}}},
			},
		},
	}})
	if err != nil {
		t.Fatalf("%v\nlogs: %s", err, e.logs)
	}
	wantEq(t, "modelId", *resp.ModelId, "meta.llama-3.3-70b-instruct")
	if resp.OpcRequestId == nil || len(*resp.OpcRequestId) < 32 {
		t.Errorf("opc-request-id %v", resp.OpcRequestId)
	}
	g, ok := resp.ChatResponse.(gai.GenericChatResponse)
	if !ok {
		t.Fatalf("chatResponse is %T", resp.ChatResponse)
	}
	msg := g.Choices[0].Message.(gai.AssistantMessage)
	wantEq(t, "text", *msg.Content[0].(gai.TextContent).Text, "Hello from meta.llama-3.3-70b-instruct! You said: Hi there")
	wantEq(t, "finishReason", *g.Choices[0].FinishReason, "stop")
	wantEq(t, "promptTokens", *g.Usage.PromptTokens, 4)
	wantEq(t, "completionTokens", *g.Usage.CompletionTokens, 7)
	if g.TimeCreated == nil || g.TimeCreated.IsZero() {
		t.Error("timeCreated not decoded")
	}
}

func TestSDKChatToolCalls(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	c := sdkClient(t, e)
	var params any = map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []string{"city"}}
	resp, err := c.Chat(context.Background(), gai.ChatRequest{ChatDetails: gai.ChatDetails{
		CompartmentId: common.String(compartment),
		ServingMode:   onDemand("xai.grok-4"),
		ChatRequest: gai.GenericChatRequest{
			Messages:   []gai.Message{gai.UserMessage{Content: []gai.ChatContent{gai.TextContent{Text: common.String("Use get_weather for Paris")}}}},
			Tools:      []gai.ToolDefinition{gai.FunctionDefinition{Name: common.String("get_weather"), Parameters: &params}},
			ToolChoice: gai.ToolChoiceAuto{},
		},
	}})
	if err != nil {
		t.Fatalf("%v\nlogs: %s", err, e.logs)
	}
	g := resp.ChatResponse.(gai.GenericChatResponse)
	msg := g.Choices[0].Message.(gai.AssistantMessage)
	call := msg.ToolCalls[0].(gai.FunctionCall)
	wantEq(t, "name", *call.Name, "get_weather")
	wantEq(t, "arguments", *call.Arguments, `{"city":"Paris"}`)
	wantEq(t, "finishReason", *g.Choices[0].FinishReason, "tool_calls")
	if !strings.HasPrefix(*call.Id, "call_") {
		t.Errorf("id %q", *call.Id)
	}
}

func TestSDKChatCohere(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	c := sdkClient(t, e)
	resp, err := c.Chat(context.Background(), gai.ChatRequest{ChatDetails: gai.ChatDetails{
		CompartmentId: common.String(compartment),
		ServingMode:   onDemand("cohere.command-a-03-2025"),
		ChatRequest: gai.CohereChatRequest{
			Message:     common.String("How are you"),
			ChatHistory: []gai.CohereMessage{gai.CohereUserMessage{Message: common.String("Earlier")}, gai.CohereChatBotMessage{Message: common.String("Yes")}},
		},
	}})
	if err != nil {
		t.Fatalf("%v\nlogs: %s", err, e.logs)
	}
	r := resp.ChatResponse.(gai.CohereChatResponse)
	wantEq(t, "text", *r.Text, "Hello from cohere.command-a-03-2025! You said: How are you")
	wantEq(t, "finishReason", r.FinishReason, gai.CohereChatResponseFinishReasonComplete)
	wantEq(t, "history length", len(r.ChatHistory), 4)
	if bot, ok := r.ChatHistory[3].(gai.CohereChatBotMessage); !ok || *bot.Message != *r.Text {
		t.Errorf("last history entry %#v", r.ChatHistory[3])
	}
}

func TestSDKChatCohereV2(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	c := sdkClient(t, e)
	resp, err := c.Chat(context.Background(), gai.ChatRequest{ChatDetails: gai.ChatDetails{
		CompartmentId: common.String(compartment),
		ServingMode:   onDemand("cohere.command-a-vision-07-2025"),
		ChatRequest: gai.CohereChatRequestV2{
			Messages: []gai.CohereMessageV2{gai.CohereUserMessageV2{Content: []gai.CohereContentV2{
				gai.CohereTextContentV2{Text: common.String("What is this")},
				gai.CohereImageContentV2{ImageUrl: &gai.CohereImageUrlV2{Url: common.String("data:image/png;base64,AAAA")}},
			}}},
		},
	}})
	if err != nil {
		t.Fatalf("%v\nlogs: %s", err, e.logs)
	}
	r := resp.ChatResponse.(gai.CohereChatResponseV2)
	wantEq(t, "text", *r.Message.Content[0].(gai.CohereTextContentV2).Text, "Hello from cohere.command-a-vision-07-2025! You said: What is this [1 image(s)]")
	wantEq(t, "finishReason", r.FinishReason, gai.CohereChatResponseV2FinishReasonComplete)
	wantEq(t, "promptTokens", *r.Usage.PromptTokens, 3+85)
}

func TestSDKEmbedText(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	c := sdkClient(t, e)
	resp, err := c.EmbedText(context.Background(), gai.EmbedTextRequest{EmbedTextDetails: gai.EmbedTextDetails{
		CompartmentId:    common.String(compartment),
		ServingMode:      onDemand("cohere.embed-v4.0"),
		Inputs:           []string{"one two", "three"},
		OutputDimensions: common.Int(256),
		InputType:        gai.EmbedTextDetailsInputTypeSearchDocument,
	}})
	if err != nil {
		t.Fatalf("%v\nlogs: %s", err, e.logs)
	}
	wantEq(t, "count", len(resp.Embeddings), 2)
	wantEq(t, "dim", len(resp.Embeddings[0]), 256)
	wantEq(t, "promptTokens", *resp.Usage.PromptTokens, 3)
	var norm float64
	for _, f := range resp.Embeddings[0] {
		norm += float64(f) * float64(f)
	}
	if math.Abs(norm-1) > 1e-4 {
		t.Errorf("norm² = %v", norm)
	}
	if len(resp.Inputs) != 0 {
		t.Error("inputs echoed without isEcho")
	}
}

// The SDK only treats text/event-stream (exactly) as a stream; its SSE
// reader must see the simulator's events.
func TestSDKStream(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	c := sdkClient(t, e)
	resp, err := c.Chat(context.Background(), gai.ChatRequest{ChatDetails: gai.ChatDetails{
		CompartmentId: common.String(compartment),
		ServingMode:   onDemand("openai.gpt-4.1"),
		ChatRequest: gai.GenericChatRequest{
			IsStream:      common.Bool(true),
			StreamOptions: &gai.StreamOptions{IsIncludeUsage: common.Bool(true)},
			Messages:      []gai.Message{gai.UserMessage{Content: []gai.ChatContent{gai.TextContent{Text: common.String("stream please")}}}},
		},
	}})
	if err != nil {
		t.Fatalf("%v\nlogs: %s", err, e.logs)
	}
	rd, err := common.NewSSEReader(resp.RawResponse)
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	var sawUsage, sawDone bool
	err = rd.ReadAllEvents(func(ev []byte) {
		if string(ev) == "[DONE]" {
			sawDone = true
			return
		}
		var m map[string]any
		if err := json.Unmarshal(ev, &m); err != nil {
			t.Errorf("event %q: %v", ev, err)
		}
		if s, ok := get(m, "message", "content", 0, "text").(string); ok {
			got.WriteString(s)
		}
		sawUsage = sawUsage || m["usage"] != nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "text", got.String(), "Hello from openai.gpt-4.1! You said: stream please")
	if !sawUsage || !sawDone {
		t.Errorf("usage %v, [DONE] %v", sawUsage, sawDone)
	}
}

func sdkEmbedRequest() gai.EmbedTextRequest {
	return gai.EmbedTextRequest{EmbedTextDetails: gai.EmbedTextDetails{
		CompartmentId: common.String(compartment),
		ServingMode:   onDemand("cohere.embed-v4.0"),
		Inputs:        []string{"x"},
	}}
}

func sdkStreamRequest() gai.ChatRequest {
	return gai.ChatRequest{ChatDetails: gai.ChatDetails{
		CompartmentId: common.String(compartment),
		ServingMode:   onDemand("meta.llama-3.3-70b-instruct"),
		ChatRequest: gai.GenericChatRequest{
			IsStream: common.Bool(true),
			Messages: []gai.Message{gai.UserMessage{Content: []gai.ChatContent{gai.TextContent{Text: common.String("hi")}}}},
		},
	}}
}
