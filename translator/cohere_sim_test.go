package translator_test

// End-to-end checks of the Cohere translations against the OCI simulator
// (signed requests over real HTTP) and against the OCI Go SDK's own wire
// model: every body the translator builds must survive a decode/encode
// round trip through generativeaiinference.ChatDetails unchanged, which
// proves the field names and shapes match the SDK.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"
	gai "github.com/oracle/oci-go-sdk/v65/generativeaiinference"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/ocisim"
	"github.com/ociai/ociai-proxy/translator"
)

var (
	simOnce sync.Once
	simID   ocisim.Identity
	simErr  error
)

type simEnv struct {
	t      *testing.T
	srv    *httptest.Server
	signer common.HTTPRequestSigner
}

func newSim(t *testing.T) *simEnv {
	t.Helper()
	simOnce.Do(func() { simID, simErr = ocisim.NewIdentity() })
	if simErr != nil {
		t.Fatal(simErr)
	}
	sim := ocisim.New(ocisim.Options{})
	sim.AddIdentity(simID)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	p := common.NewRawConfigurationProvider(simID.Tenancy, simID.User, "us-chicago-1", simID.Fingerprint, string(simID.PrivateKeyPEM), nil)
	return &simEnv{t: t, srv: srv, signer: common.DefaultRequestSigner(p)}
}

// post signs and sends an OCI chat body; it returns the status and body.
func (e *simEnv) post(details *translator.ChatDetails) (int, []byte) {
	e.t.Helper()
	body, err := json.Marshal(details)
	if err != nil {
		e.t.Fatal(err)
	}
	checkSDKRoundTrip(e.t, body)
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/20231130/actions/chat", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if err := e.signer.Sign(req); err != nil {
		e.t.Fatal(err)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, out
}

// checkSDKRoundTrip decodes body with the SDK model and encodes it again:
// after dropping the SDK's explicit nulls it must equal body.
func checkSDKRoundTrip(t *testing.T, body []byte) {
	t.Helper()
	var d gai.ChatDetails
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatalf("SDK cannot decode the body: %v\n%s", err, body)
	}
	again, err := json.Marshal(d)
	if err != nil {
		t.Fatalf("SDK cannot encode the body: %v", err)
	}
	var want, got any
	_ = json.Unmarshal(body, &want)
	_ = json.Unmarshal(again, &got)
	want, got = dropEmpty(want), dropEmpty(got)
	if !reflect.DeepEqual(want, got) {
		w, _ := json.Marshal(want)
		g, _ := json.Marshal(got)
		t.Errorf("body changes in an SDK round trip (unknown or misspelt field?)\n sent: %s\n  sdk: %s", w, g)
	}
}

// dropEmpty removes null and [] members (the SDK encodes unset fields so).
func dropEmpty(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if a, ok := e.([]any); e == nil || ok && len(a) == 0 {
				delete(x, k)
				continue
			}
			x[k] = dropEmpty(e)
		}
	case []any:
		for i := range x {
			x[i] = dropEmpty(x[i])
		}
	}
	return v
}

func decodeReq(t *testing.T, s string) *hub.ChatRequest {
	t.Helper()
	var r hub.ChatRequest
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func target(model string) translator.Target {
	return translator.Target{ModelID: model, CompartmentID: "ocid1.compartment.oc1..aaaatest", DefaultMaxTokens: 500}
}

func completionJSON(t *testing.T, c *hub.ChatCompletion) string {
	t.Helper()
	b, err := json.Marshal(c.Choices[0].Message)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + " " + c.Choices[0].FinishReason
}

const weatherTool = `[{"type":"function","function":{"name":"get_weather","description":"Weather for a city",
	"parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},
	"unit":{"type":"string","enum":["C","F"]}},"required":["city","unit"]}}}]`

func TestCohereAgainstSimulator(t *testing.T) {
	e := newSim(t)
	const model = "cohere.command-a-03-2025"

	t.Run("text with history and preamble", func(t *testing.T) {
		d, _, err := translator.CohereChat(decodeReq(t, `{"model":"x","messages":[
			{"role":"system","content":"Be brief."},
			{"role":"user","content":"Earlier"},{"role":"assistant","content":"Ok"},
			{"role":"user","content":[{"type":"text","text":"Say"},{"type":"text","text":"hi."}]}]}`), target(model))
		if err != nil {
			t.Fatal(err)
		}
		status, body := e.post(d)
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		c, err := translator.CompletionFromCohere(body, "chatcmpl-1", "", 7)
		if err != nil {
			t.Fatal(err)
		}
		want := `{"role":"assistant","content":"Hello from cohere.command-a-03-2025! You said: Say\nhi.","refusal":null} stop`
		if got := completionJSON(t, c); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
		if c.Model != model || c.Usage.TotalTokens == 0 {
			t.Errorf("model %q usage %+v", c.Model, c.Usage)
		}
	})

	// The tool loop: the call the simulator makes comes back with a stable
	// id, and replaying it with a tool result reaches the simulator as
	// toolResults naming that call.
	t.Run("tool call and tool result round trip", func(t *testing.T) {
		d, _, err := translator.CohereChat(decodeReq(t, `{"model":"x","tools":`+weatherTool+`,
			"messages":[{"role":"user","content":"Use get_weather for Paris"}]}`), target(model))
		if err != nil {
			t.Fatal(err)
		}
		status, body := e.post(d)
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		c, err := translator.CompletionFromCohere(body, "chatcmpl-2", "", 7)
		if err != nil {
			t.Fatal(err)
		}
		msg := c.Choices[0].Message
		if c.Choices[0].FinishReason != "tool_calls" || len(msg.ToolCalls) != 1 || msg.Content != nil {
			t.Fatalf("completion %s", completionJSON(t, c))
		}
		tc := msg.ToolCalls[0]
		// (V1 has no enum: the simulator fills every required str with the word after "for")
		if tc.Function.Name != "get_weather" || tc.Function.Arguments != `{"city":"Paris","unit":"Paris"}` {
			t.Errorf("call %+v", tc.Function)
		}
		if !strings.HasPrefix(tc.ID, "call_") || len(tc.ID) != 29 {
			t.Errorf("id %q", tc.ID)
		}
		again, _ := translator.CompletionFromCohere(body, "chatcmpl-other", "", 8)
		if again.Choices[0].Message.ToolCalls[0].ID != tc.ID {
			t.Error("tool-call id not stable across responses")
		}

		history, _ := json.Marshal([]any{
			map[string]any{"role": "user", "content": "Use get_weather for Paris"},
			map[string]any{"role": "assistant", "content": nil, "tool_calls": msg.ToolCalls},
			map[string]any{"role": "tool", "tool_call_id": tc.ID, "content": `{"temp":21}`},
		})
		d, _, err = translator.CohereChat(decodeReq(t, `{"model":"x","tools":`+weatherTool+`,"messages":`+string(history)+`}`), target(model))
		if err != nil {
			t.Fatal(err)
		}
		status, body = e.post(d)
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		c, err = translator.CompletionFromCohere(body, "chatcmpl-3", "", 7)
		if err != nil {
			t.Fatal(err)
		}
		want := `{"role":"assistant","content":"The tool get_weather returned: [{\"temp\":21}]","refusal":null} stop`
		if got := completionJSON(t, c); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})

	t.Run("long history on a dedicated endpoint", func(t *testing.T) {
		tg := target("ocid1.generativeaiendpoint.oc1..cohere-endpoint")
		tg.Dedicated = true
		d, _, err := translator.CohereChat(decodeReq(t, `{"model":"x","tools":`+weatherTool+`,"messages":[
			{"role":"system","content":"S"},{"role":"user","content":"Weather in Paris?"},
			{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"unit\":\"C\"}"}}]},
			{"role":"tool","tool_call_id":"c1","content":"[{\"temp\":20},{\"temp\":21}]"},
			{"role":"developer","content":"Be terse."},
			{"role":"user","content":"Thanks!"}]}`), tg)
		if err != nil {
			t.Fatal(err)
		}
		status, body := e.post(d)
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		c, err := translator.CompletionFromCohere(body, "id", "", 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := *c.Choices[0].Message.Content; got != "Hello from ocid1.generativeaiendpoint.oc1..cohere-endpoint! You said: Thanks!" {
			t.Errorf("content %q", got)
		}
	})

	t.Run("json response format, stop, max tokens", func(t *testing.T) {
		d, _, err := translator.CohereChat(decodeReq(t, `{"model":"x","max_tokens":2,"stop":"!",
			"response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}},
			"messages":[{"role":"user","content":"x"}]}`), target(model))
		if err != nil {
			t.Fatal(err)
		}
		status, body := e.post(d)
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		c, _ := translator.CompletionFromCohere(body, "id", "", 1)
		if got := completionJSON(t, c); got != `{"role":"assistant","content":"{\"answer\":\"Hello from ","refusal":null} length` {
			t.Errorf("got %s", got)
		}
	})

	t.Run("stream", func(t *testing.T) {
		d, _, err := translator.CohereChat(decodeReq(t, `{"model":"x","stream":true,"stream_options":{"include_usage":true},
			"messages":[{"role":"user","content":"Say hi."}]}`), target(model))
		if err != nil {
			t.Fatal(err)
		}
		s := translator.NewCohereStream("chatcmpl-s", "m", 1, true)
		content, _, finish, usage := runStream(t, e, d, s)
		if content != "Hello from cohere.command-a-03-2025! You said: Say hi." || finish != "stop" || usage == nil || usage.TotalTokens != 9 {
			t.Errorf("content %q finish %q usage %+v", content, finish, usage)
		}
	})

	t.Run("stream with tool calls", func(t *testing.T) {
		d, _, err := translator.CohereChat(decodeReq(t, `{"model":"x","stream":true,"tools":`+weatherTool+`,
			"messages":[{"role":"user","content":"get_weather for Rome"}]}`), target(model))
		if err != nil {
			t.Fatal(err)
		}
		s := translator.NewCohereStream("chatcmpl-s", "m", 1, false)
		content, calls, finish, _ := runStream(t, e, d, s)
		if content != "" || finish != "tool_calls" || len(calls) != 1 || calls[0].Function.Name != "get_weather" {
			t.Errorf("content %q finish %q calls %+v", content, finish, calls)
		}
		// the same call gets the same id as in a non-streaming answer
		d.ChatRequest.(*translator.CohereChatRequest).IsStream = false
		_, body := e.post(d)
		c, _ := translator.CompletionFromCohere(body, "x", "", 1)
		if got := c.Choices[0].Message.ToolCalls; len(got) != 1 || got[0].ID != calls[0].ID || got[0].Function.Arguments != calls[0].Function.Arguments {
			t.Errorf("non-stream %+v vs stream %+v", got, calls)
		}
	})
}

func TestCohereV2AgainstSimulator(t *testing.T) {
	e := newSim(t)
	const vision = "cohere.command-a-vision-07-2025"

	t.Run("vision", func(t *testing.T) {
		req := decodeReq(t, `{"model":"x","messages":[{"role":"system","content":"Describe precisely."},{"role":"user","content":[
			{"type":"text","text":"What is this?"},
			{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}}]}]}`)
		if !hub.HasImages(req) {
			t.Fatal("HasImages = false")
		}
		d, _, err := translator.CohereV2Chat(req, target(vision))
		if err != nil {
			t.Fatal(err)
		}
		status, body := e.post(d)
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		c, err := translator.CompletionFromCohereV2(body, "id", "", 1)
		if err != nil {
			t.Fatal(err)
		}
		want := `{"role":"assistant","content":"Hello from cohere.command-a-vision-07-2025! You said: What is this? [1 image(s)]","refusal":null} stop`
		if got := completionJSON(t, c); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})

	t.Run("tools, forced choice, tool result", func(t *testing.T) {
		d, _, err := translator.CohereV2Chat(decodeReq(t, `{"model":"x","tools":`+weatherTool+`,"tool_choice":"required",
			"messages":[{"role":"user","content":"What now for Oslo?"}]}`), target(vision))
		if err != nil {
			t.Fatal(err)
		}
		status, body := e.post(d)
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		c, _ := translator.CompletionFromCohereV2(body, "id", "", 1)
		msg := c.Choices[0].Message
		if c.Choices[0].FinishReason != "tool_calls" || len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Function.Arguments != `{"city":"Oslo","unit":"C"}` {
			t.Fatalf("completion %s", completionJSON(t, c))
		}
		history, _ := json.Marshal([]any{
			map[string]any{"role": "user", "content": "What now for Oslo?"},
			map[string]any{"role": "assistant", "content": nil, "tool_calls": msg.ToolCalls},
			map[string]any{"role": "tool", "tool_call_id": msg.ToolCalls[0].ID, "content": "sunny"},
		})
		d, _, err = translator.CohereV2Chat(decodeReq(t, `{"model":"x","tools":`+weatherTool+`,"messages":`+string(history)+`}`), target(vision))
		if err != nil {
			t.Fatal(err)
		}
		status, body = e.post(d)
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		c, _ = translator.CompletionFromCohereV2(body, "id", "", 1)
		if got := *c.Choices[0].Message.Content; got != "The tool "+msg.ToolCalls[0].ID+" returned: sunny" {
			t.Errorf("content %q", got)
		}
	})

	t.Run("reasoning", func(t *testing.T) {
		d, _, err := translator.CohereV2Chat(decodeReq(t, `{"model":"x","reasoning_effort":"high","messages":[{"role":"user","content":"Why"}]}`),
			target("cohere.command-a-reasoning-08-2025"))
		if err != nil {
			t.Fatal(err)
		}
		_, body := e.post(d)
		c, _ := translator.CompletionFromCohereV2(body, "id", "", 1)
		if m := c.Choices[0].Message; m.ReasoningContent != "Thinking about: Why" || *m.Content != "Hello from cohere.command-a-reasoning-08-2025! You said: Why" {
			t.Errorf("message %+v", m)
		}
	})

	t.Run("stream with reasoning and usage", func(t *testing.T) {
		d, _, err := translator.CohereV2Chat(decodeReq(t, `{"model":"x","stream":true,"stream_options":{"include_usage":true},
			"messages":[{"role":"user","content":"Why"}]}`), target("cohere.command-a-reasoning-08-2025"))
		if err != nil {
			t.Fatal(err)
		}
		s := translator.NewCohereV2Stream("chatcmpl-s", "m", 1, true)
		content, _, finish, usage := runStream(t, e, d, s)
		if content != "Hello from cohere.command-a-reasoning-08-2025! You said: Why" || finish != "stop" || usage == nil || usage.CompletionTokens == 0 {
			t.Errorf("content %q finish %q usage %+v", content, finish, usage)
		}
	})

	t.Run("stream with tool calls", func(t *testing.T) {
		d, _, err := translator.CohereV2Chat(decodeReq(t, `{"model":"x","stream":true,"tools":`+weatherTool+`,
			"messages":[{"role":"user","content":"get_weather for Rome"}]}`), target("cohere.command-a-03-2025"))
		if err != nil {
			t.Fatal(err)
		}
		s := translator.NewCohereV2Stream("chatcmpl-s", "m", 1, false)
		_, calls, finish, _ := runStream(t, e, d, s)
		if finish != "tool_calls" || len(calls) != 1 || calls[0].Function.Arguments != `{"city":"Rome","unit":"C"}` || calls[0].ID == "" {
			t.Errorf("finish %q calls %+v", finish, calls)
		}
	})
}

type chunkStream interface {
	Start() hub.ChatChunk
	Event([]byte) ([]hub.ChatChunk, error)
	Finished() bool
	FinishSeen() bool
	Close() []hub.ChatChunk
}

// runStream posts a streaming request, feeds every event to s until
// Finished, and accumulates the OpenAI chunks.
func runStream(t *testing.T, e *simEnv, d *translator.ChatDetails, s chunkStream) (content string, calls []hub.ToolCall, finish string, usage *hub.Usage) {
	t.Helper()
	status, body := e.post(d)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	chunks := []hub.ChatChunk{s.Start()}
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		out, err := s.Event([]byte(data))
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, out...)
		if s.Finished() {
			break
		}
	}
	if !s.Finished() || !s.FinishSeen() {
		t.Error("stream not finished after the simulator's last event")
	}
	chunks = append(chunks, s.Close()...)
	var sb strings.Builder
	for _, ch := range chunks {
		if ch.Usage != nil {
			usage = ch.Usage
		}
		for _, c := range ch.Choices {
			if c.Delta.Content != nil {
				sb.WriteString(*c.Delta.Content)
			}
			for _, tc := range c.Delta.ToolCalls {
				if tc.Index == len(calls) {
					calls = append(calls, hub.ToolCall{ID: tc.ID, Type: tc.Type, Function: hub.FunctionCall{Name: tc.Function.Name}})
				}
				calls[tc.Index].Function.Arguments += tc.Function.Arguments
			}
			if c.FinishReason != nil {
				finish = *c.FinishReason
			}
		}
	}
	return sb.String(), calls, finish, usage
}
