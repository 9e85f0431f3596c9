package handler_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/ocisim"
)

// families: one model per OCI format and GENERIC streaming pattern (whole calls, fragments, no ids).
var families = []struct{ model, ociID string }{
	{"grok", "xai.grok-4"},
	{"llama", "meta.llama-3.3-70b-instruct"},
	{"gemini", "google.gemini-2.5-flash"},
	{"command-a", "cohere.command-a-03-2025"},
	{"command-a-vision", "cohere.command-a-vision-07-2025"},
}

func respInput(model, text string, tools ...responses.ToolUnionParam) responses.ResponseNewParams {
	return responses.ResponseNewParams{Model: model, Input: responses.ResponseNewParamsInputUnion{OfString: openai.String(text)}, Tools: tools}
}

func respItems(model string, items []responses.ResponseInputItemUnionParam, tools ...responses.ToolUnionParam) responses.ResponseNewParams {
	return responses.ResponseNewParams{Model: model, Input: responses.ResponseNewParamsInputUnion{OfInputItemList: items}, Tools: tools}
}

// streamResponse streams p and returns the text of its output_text deltas and the response of response.completed.
func streamResponse(t *testing.T, e *env, p responses.ResponseNewParams) (string, responses.Response) {
	t.Helper()
	s := e.client.Responses.NewStreaming(context.Background(), p)
	var text strings.Builder
	var final responses.Response
	n := 0
	for s.Next() {
		ev := s.Current()
		if ev.SequenceNumber != int64(n) {
			t.Fatalf("event %d has sequence_number %d", n, ev.SequenceNumber)
		}
		n++
		switch ev.Type {
		case "response.output_text.delta":
			text.WriteString(ev.Delta)
		case "response.completed":
			final = ev.AsResponseCompleted().Response
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if final.ID == "" {
		t.Fatal("the stream ended without response.completed")
	}
	return text.String(), final
}

func TestResponsesEveryFamily(t *testing.T) {
	e := newEnv(t)
	for _, f := range families {
		t.Run(f.model, func(t *testing.T) {
			want := "Hello from " + f.ociID + "! You said: Hello Responses"
			r, err := e.client.Responses.New(context.Background(), respInput(f.model, "Hello Responses"))
			if err != nil {
				t.Fatal(err)
			}
			if r.OutputText() != want || r.Status != "completed" || !strings.HasPrefix(r.ID, "resp_") || r.Model != f.model {
				t.Errorf("response %s %s %q: %q", r.ID, r.Status, r.Model, r.OutputText())
			}
			if r.Usage.InputTokens == 0 || r.Usage.OutputTokens == 0 || r.Usage.TotalTokens != r.Usage.InputTokens+r.Usage.OutputTokens {
				t.Errorf("usage %+v", r.Usage)
			}
			text, final := streamResponse(t, e, respInput(f.model, "Hello Responses"))
			if text != want || final.OutputText() != want || final.Status != "completed" || final.Usage.OutputTokens == 0 {
				t.Errorf("stream: deltas %q, completed %q %s usage %+v", text, final.OutputText(), final.Status, final.Usage)
			}
		})
	}
}

func weatherFunction() responses.ToolUnionParam {
	return responses.ToolParamOfFunction("get_weather", map[string]any{
		"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []string{"city"},
	}, false)
}

// A function tool and a custom tool (a freeform input, like Codex's apply_patch), called and answered, streaming
// and not, on every family.
func TestResponsesToolsEveryFamily(t *testing.T) {
	e := newEnv(t)
	patch := responses.ToolParamOfCustom("apply_patch")
	for _, f := range families {
		for _, stream := range []bool{false, true} {
			t.Run(f.model+map[bool]string{true: " stream"}[stream], func(t *testing.T) {
				ask := func(p responses.ResponseNewParams) responses.Response {
					if stream {
						_, r := streamResponse(t, e, p)
						return r
					}
					r, err := e.client.Responses.New(context.Background(), p)
					if err != nil {
						t.Fatal(err)
					}
					return *r
				}
				r := ask(respInput(f.model, "Use get_weather for Paris", weatherFunction(), patch))
				call := onlyItem(t, r, "function_call").AsFunctionCall()
				if call.Name != "get_weather" || call.Arguments != `{"city":"Paris"}` || call.CallID == "" {
					t.Fatalf("function call %+v", call)
				}
				r = ask(respItems(f.model, []responses.ResponseInputItemUnionParam{
					responses.ResponseInputItemParamOfMessage("Use get_weather for Paris", responses.EasyInputMessageRoleUser),
					{OfFunctionCall: ptr(call.ToParam())},
					functionOutput(call.CallID, `{"celsius":19}`),
				}, weatherFunction(), patch))
				if got := r.OutputText(); !strings.HasPrefix(got, "The tool ") || !strings.Contains(got, "19") {
					t.Errorf("answer after the tool: %q", got)
				}

				r = ask(respInput(f.model, "Use apply_patch for `*** Begin Patch\n*** End Patch`", weatherFunction(), patch))
				custom := onlyItem(t, r, "custom_tool_call").AsCustomToolCall()
				if custom.Name != "apply_patch" || custom.Input != "*** Begin Patch\n*** End Patch" || custom.CallID == "" {
					t.Fatalf("custom tool call %+v", custom)
				}
				r = ask(respItems(f.model, []responses.ResponseInputItemUnionParam{
					responses.ResponseInputItemParamOfMessage("Use apply_patch", responses.EasyInputMessageRoleUser),
					{OfCustomToolCall: ptr(custom.ToParam())},
					responses.ResponseInputItemParamOfCustomToolCallOutput(custom.CallID, "Done: 1 file changed"),
				}, weatherFunction(), patch))
				if got := r.OutputText(); !strings.HasPrefix(got, "The tool ") || !strings.Contains(got, "1 file changed") {
					t.Errorf("answer after the custom tool: %q", got)
				}
			})
		}
	}
}

func ptr[T any](v T) *T { return &v }

// namedEvents reads a whole stream of `event:`/`data:` pairs and returns the data payloads, checking that each
// event's name is its data's type.
func namedEvents(t *testing.T, res *http.Response) []string {
	t.Helper()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, block := range strings.Split(strings.TrimSpace(string(body)), "\n\n") {
		name, data, _ := strings.Cut(block, "\ndata: ")
		name, ok := strings.CutPrefix(name, "event: ")
		if !ok || !strings.HasPrefix(data, `{"type":"`+name+`",`) {
			t.Fatalf("malformed event %q", block)
		}
		out = append(out, data)
	}
	return out
}

func functionOutput(callID, output string) responses.ResponseInputItemUnionParam {
	o := responses.ResponseInputItemParamOfFunctionCallOutput(output)
	o.OfFunctionCallOutput.CallID = openai.String(callID)
	return o
}

// onlyItem returns the response's one output item, which must be of type typ and have an id.
func onlyItem(t *testing.T, r responses.Response, typ string) responses.ResponseOutputItemUnion {
	t.Helper()
	if len(r.Output) != 1 || r.Output[0].Type != typ || r.Output[0].ID == "" {
		t.Fatalf("output %s, want one %s", r.RawJSON(), typ)
	}
	return r.Output[0]
}

func TestResponsesErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var ae *openai.Error
	_, err := e.client.Responses.New(ctx, respInput("nope", "hi"))
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound || ae.Code != "model_not_found" {
		t.Errorf("unknown model: %v", err)
	}
	_, err = e.client.Responses.New(ctx, respInput("llama", "hi"), optionAPIKey("wrong"))
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusUnauthorized || ae.Code != "invalid_api_key" {
		t.Errorf("wrong key: %v", err)
	}
	p := respInput("llama", "hi")
	p.PreviousResponseID = openai.String("resp_1")
	_, err = e.client.Responses.New(ctx, p)
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest || ae.Param != "previous_response_id" || !strings.Contains(ae.Message, "stateless") {
		t.Errorf("previous_response_id: %v", err)
	}
	_, err = e.client.Responses.Get(ctx, "resp_1", responses.ResponseGetParams{})
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound || !strings.Contains(ae.Message, "stateless") {
		t.Errorf("GET a response: %v", err)
	}
	if err = e.client.Responses.Delete(ctx, "resp_1"); !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
		t.Errorf("DELETE a response: %v", err)
	}
	if n := len(e.sim.Requests()); n != 0 {
		t.Errorf("%d requests reached OCI", n)
	}

	e.sim.Inject(ocisim.Fault{Status: 429, RetryAfter: "3"})
	_, err = e.client.Responses.New(ctx, respInput("llama", "hi"))
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusTooManyRequests || ae.Type != "rate_limit_error" {
		t.Errorf("OCI 429: %v", err)
	}
}

// A stream that breaks after it started ends with an error event and response.failed; the SDK reports the error.
func TestResponsesStreamBroken(t *testing.T) {
	e := newEnv(t)
	e.sim.Inject(ocisim.Fault{BreakAfter: 3})
	s := e.client.Responses.NewStreaming(context.Background(), respInput("llama", "a long answer please"))
	for s.Next() {
	}
	if s.Err() == nil {
		t.Error("the SDK saw no error")
	}

	e.sim.Inject(ocisim.Fault{BreakAfter: 3})
	res := e.do(t, "POST", "/v1/responses", `{"model":"llama","stream":true,"input":"a long answer please"}`)
	ev := namedEvents(t, res)
	n := len(ev)
	if n < 4 || !strings.HasPrefix(ev[n-2], `{"type":"error",`) || !strings.HasPrefix(ev[n-1], `{"type":"response.failed",`) ||
		!strings.Contains(ev[n-1], `"status":"failed"`) {
		t.Errorf("events end %q", ev[max(n-2, 0):])
	}
}

// The routes around POST /v1/responses: any prefix, the stateless answers, the WebSocket refusal, and the
// header naming the hosted tools left out.
func TestResponsesRoutes(t *testing.T) {
	e := newEnv(t)
	res := e.do(t, "POST", "/openai/v1/responses", `{"model":"grok","input":"hi","tools":[{"type":"web_search"},{"type":"file_search"},{"type":"web_search"}]}`)
	if res.StatusCode != http.StatusOK || res.Header.Get("X-Ociai-Ignored") != "web_search, file_search" {
		t.Errorf("prefixed POST: %d, ignored %q", res.StatusCode, res.Header.Get("X-Ociai-Ignored"))
	}
	for _, c := range []struct {
		method, path string
		hdr          []string
		status       int
		code         string
	}{
		{"GET", "/v1/responses", []string{"Upgrade", "websocket", "Connection", "Upgrade"}, http.StatusUpgradeRequired, "websocket_not_supported"},
		{"GET", "/v1/responses", nil, http.StatusMethodNotAllowed, "method_not_allowed"},
		{"GET", "/v1/responses/resp_123/input_items", nil, http.StatusNotFound, "response_not_found"},
		{"POST", "/v1/responses/resp_123/cancel", nil, http.StatusNotFound, "response_not_found"},
		{"PUT", "/v1/responses/resp_123", nil, http.StatusMethodNotAllowed, "method_not_allowed"},
		{"GET", "/v1/responses/resp_123", []string{"Authorization", ""}, http.StatusUnauthorized, "invalid_api_key"},
	} {
		res := e.do(t, c.method, c.path, "", c.hdr...)
		if er := decodeErr(t, res); res.StatusCode != c.status || code(er) != c.code {
			t.Errorf("%s %s: %d %+v", c.method, c.path, res.StatusCode, er.Error)
		}
	}
}

// POST /v1/responses/compact summarises with the same model; the compaction item, sent back, brings the summary
// to the model, and once the client keys have changed (rotated in Vault) it no longer opens.
func TestResponsesCompact(t *testing.T) {
	keys := handler.NewKeySet([]handler.Key{{Name: "tester", Key: testKey}})
	e := newEnv(t, func(o *handler.Options) { o.KeySet = keys })
	ctx := context.Background()
	c, err := e.client.Responses.Compact(ctx, responses.ResponseCompactParams{Model: "llama",
		Input: responses.ResponseCompactParamsInputUnion{OfResponseInputItemArray: []responses.ResponseInputItemUnionParam{
			responses.ResponseInputItemParamOfMessage("Remember the number 42", responses.EasyInputMessageRoleUser),
			responses.ResponseInputItemParamOfMessage("I will.", responses.EasyInputMessageRoleAssistant),
		}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Output) != 2 || c.Output[0].Type != "message" || c.Output[1].Type != "compaction" || c.Usage.TotalTokens == 0 {
		t.Fatalf("compacted %s", c.RawJSON())
	}
	summary := lastOCIRequest(t, e)["chatRequest"].(map[string]any)["messages"].([]any)
	if !strings.Contains(summary[1].(map[string]any)["content"].([]any)[0].(map[string]any)["text"].(string), "Remember the number 42") {
		t.Errorf("the summary request misses the conversation: %v", summary)
	}
	item := c.Output[1].AsCompaction()
	next := []responses.ResponseInputItemUnionParam{
		responses.ResponseInputItemParamOfCompaction(item.EncryptedContent),
		responses.ResponseInputItemParamOfMessage("What was the number?", responses.EasyInputMessageRoleUser),
	}
	if _, err := e.client.Responses.New(ctx, respItems("llama", next)); err != nil {
		t.Fatal(err)
	}
	msgs := lastOCIRequest(t, e)["chatRequest"].(map[string]any)["messages"].([]any)
	if got := msgs[0].(map[string]any)["content"].([]any)[0].(map[string]any)["text"].(string); !strings.Contains(got, "compacted") {
		t.Errorf("the compaction did not come back as its summary: %q", got)
	}

	keys.Replace([]handler.Key{{Name: "tester", Key: testKey}, {Name: "new", Key: "sk-new"}})
	_, err = e.client.Responses.New(ctx, respItems("llama", next))
	var ae *openai.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest || !strings.Contains(ae.Message, "another API key") {
		t.Errorf("opened under other keys: %v", err)
	}
}

// force_non_stream (and the Function, which buffers): the stream is synthesized from one whole OCI answer.
func TestResponsesSynthesizedStream(t *testing.T) {
	e := newEnv(t, func(o *handler.Options) { o.ForceNonStream = true })
	text, final := streamResponse(t, e, respInput("grok-mini", "Think first"))
	if text != "Hello from xai.grok-3-mini! You said: Think first" || len(final.Output) != 2 || final.Output[0].Type != "reasoning" {
		t.Errorf("text %q, output %s", text, final.RawJSON())
	}
	if cr := lastOCIRequest(t, e)["chatRequest"].(map[string]any); cr["isStream"] == true {
		t.Error("OCI was asked to stream despite force_non_stream")
	}
}
