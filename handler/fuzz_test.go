package handler_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/ocisim"
)

// chatSeeds are request shapes real clients send, one per feature and model family.
var chatSeeds = []string{
	plainBody,
	streamBody,
	`{"model":"llama","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi there"}],"max_tokens":50,"temperature":0.2,"top_p":0.9,"stop":["\n\n"],"seed":7}`,
	`{"model":"grok","messages":[{"role":"user","content":"weather for Paris"}],"tools":[{"type":"function","function":{"name":"weather","description":"d","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],"tool_choice":"auto","parallel_tool_calls":false}`,
	`{"model":"gpt-oss","stream":true,"messages":[{"role":"user","content":"call weather"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"sunny"}],"tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object","properties":{}}}}],"reasoning_effort":"low"}`,
	`{"model":"gemini","messages":[{"role":"user","content":[{"type":"text","text":"what is this"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]}],"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object"},"strict":true}}}`,
	`{"model":"gpt-5","messages":[{"role":"developer","content":"d"},{"role":"user","content":"x"}],"max_completion_tokens":20,"n":2,"logprobs":true,"top_logprobs":2,"response_format":{"type":"json_object"},"verbosity":"low"}`,
	`{"model":"command-a","stream":true,"messages":[{"role":"system","content":"p"},{"role":"user","content":"weather for Oslo"}],"tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object","properties":{"city":{"type":"string","description":"c"},"days":{"type":"integer"}},"required":["city"]}}}],"tool_choice":"required"}`,
	`{"model":"command-r","messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"{\"a\":1}"}],"tools":[{"type":"function","function":{"name":"f"}}]}`,
	`{"model":"command-a-vision","stream":true,"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}},{"type":"text","text":"describe"}]}]}`,
	`{"model":"grok-mini","messages":[{"role":"user","content":"x"}],"prediction":{"type":"content","content":"p"},"web_search_options":{"search_context_size":"low","user_location":{"approximate":{"city":"c"}}},"metadata":{"k":"v"},"logit_bias":{"1":2},"user":"u","store":false}`,
	`{"model":"embed","messages":[{"role":"user","content":"x"}]}`,
	`{"model":"llama","messages":[{"role":"wizard","content":"x"}],"tool_choice":{"type":"function","function":{"name":"nope"}}}`,
	`{"model":"llama","messages":[{"role":"user","content":"x"}],"temperature":"hot","max_tokens":-1}`,
	`[1,2,3]`,
	`{"model":`,
}

// FuzzChatRequest posts arbitrary bytes as a chat completion body to the handler, whose OCI client talks to a
// real simulator (which validates like OCI). Whatever comes in: no 5xx — a request the translation lets through
// and OCI rejects is OCI's 400, passed on as a 400 — and every answer is a chat completion, a well-formed event
// stream, or an OpenAI-shaped error.
func FuzzChatRequest(f *testing.F) {
	for _, s := range chatSeeds {
		f.Add([]byte(s))
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := post(h, chatPath, body)
		out := rec.Body.Bytes()
		switch {
		case rec.Code >= 500:
			t.Fatalf("status %d for %q: %s", rec.Code, body, out)
		case rec.Code != http.StatusOK:
			var e struct {
				Error *struct {
					Message string  `json:"message"`
					Type    string  `json:"type"`
					Param   *string `json:"param"`
					Code    *string `json:"code"`
				} `json:"error"`
			}
			if json.Unmarshal(out, &e) != nil || e.Error == nil || e.Error.Message == "" || e.Error.Type == "" {
				t.Fatalf("status %d without an OpenAI error body: %s", rec.Code, out)
			}
		case strings.HasPrefix(rec.Header().Get("Content-Type"), "text/event-stream"):
			checkEventStream(t, out)
		default:
			var c struct {
				Object  string            `json:"object"`
				Choices []json.RawMessage `json:"choices"`
			}
			if json.Unmarshal(out, &c) != nil || c.Object != "chat.completion" || len(c.Choices) == 0 {
				t.Fatalf("200 that is not a chat completion: %s", out)
			}
		}
	})
}

// fuzzHandler is a gateway whose OCI client talks to a real simulator (which validates like OCI).
func fuzzHandler(f *testing.F) http.Handler {
	id, err := ocisim.NewIdentity()
	if err != nil {
		f.Fatal(err)
	}
	sim := ocisim.New(ocisim.Options{MaxRecorded: -1})
	sim.AddIdentity(id)
	simSrv := httptest.NewServer(sim)
	f.Cleanup(simSrv.Close)
	h, err := handler.New(handler.Options{
		Models: atEndpoint(testModels, simSrv.URL), Keys: []handler.Key{{Name: "fuzz", Key: testKey}}, CompartmentID: testCompartment,
		MaxBodyBytes: 256 << 10, RequestTimeout: 10 * time.Second, StreamIdleTimeout: 10 * time.Second,
		Logger: slog.New(slog.DiscardHandler), Pool: newPool(f, id),
	})
	if err != nil {
		f.Fatal(err)
	}
	return h
}

// post sends body to path with the test key and records the answer.
func post(h http.Handler, path string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testKey)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// checkEventStream checks a whole SSE body: `data: <json>` blocks, ending with [DONE] or an error event.
func checkEventStream(t *testing.T, out []byte) {
	t.Helper()
	blocks := strings.Split(strings.TrimSuffix(string(out), "\n\n"), "\n\n")
	for i, b := range blocks {
		data, ok := strings.CutPrefix(b, "data: ")
		if !ok {
			t.Fatalf("block %d is not a data event: %q", i, b)
		}
		last := i == len(blocks)-1
		switch {
		case data == "[DONE]":
			if !last {
				t.Fatalf("[DONE] before the end: %s", out)
			}
		case !json.Valid([]byte(data)):
			t.Fatalf("event %d is not JSON: %q", i, data)
		case last && !strings.HasPrefix(data, `{"error":`):
			t.Fatalf("stream ends without [DONE] or an error event: %s", out)
		}
	}
}
