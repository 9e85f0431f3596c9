package handler_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/ocisim"
)

// eventAPI is a second client API, plugged in the way Anthropic Messages and OpenAI Responses are: named SSE
// events (a start event, one event per text delta, a usage event the client always gets, a stop event), a
// keep-alive ping and its own error envelope. It shows the seam carries everything such an API needs.
type eventAPI struct{}

func (eventAPI) DecodeChat(body []byte) (*hub.ChatRequest, hub.Reply, error) {
	req := new(hub.ChatRequest)
	if e := hub.DecodeJSON(body, req); e != nil {
		return nil, nil, e
	}
	req.StreamOptions = &hub.StreamOptions{IncludeUsage: true} // this API always reports usage
	return req, &eventReply{}, nil
}

func (eventAPI) ErrorBody(e *hub.Error, requestID string) any {
	return map[string]any{"type": "error", "error": map[string]string{"type": e.Type, "message": e.Message}, "request_id": requestID}
}

type eventReply struct{ started bool }

func (r *eventReply) Completion(c *hub.ChatCompletion) any {
	return map[string]any{"kind": "whole", "text": *c.Choices[0].Message.Content, "stop": c.Choices[0].FinishReason}
}

func (r *eventReply) Chunk(buf *bytes.Buffer, ch *hub.ChatChunk) error {
	if !r.started {
		r.started = true
		event(buf, "start", map[string]string{"id": ch.ID})
	}
	switch {
	case len(ch.Choices) == 0 && ch.Usage != nil:
		event(buf, "usage", map[string]int{"output": ch.Usage.CompletionTokens})
	case len(ch.Choices) == 1 && ch.Choices[0].Delta.Content != nil && *ch.Choices[0].Delta.Content != "":
		event(buf, "delta", map[string]string{"text": *ch.Choices[0].Delta.Content})
	}
	return nil
}

func (r *eventReply) StreamError(buf *bytes.Buffer, e *hub.Error) error {
	event(buf, "error", map[string]string{"message": e.Message})
	return nil
}

func (r *eventReply) End(buf *bytes.Buffer) { event(buf, "stop", map[string]string{}) }

func (r *eventReply) Ping(buf *bytes.Buffer) bool {
	event(buf, "ping", map[string]string{})
	return true
}

func event(buf *bytes.Buffer, name string, v any) {
	b, _ := json.Marshal(v)
	buf.WriteString("event: " + name + "\ndata: " + string(b) + "\n\n")
}

// eventNames lists the event: lines of an SSE body.
func eventNames(body string) []string {
	var out []string
	for _, line := range strings.Split(body, "\n") {
		if name, ok := strings.CutPrefix(line, "event: "); ok {
			out = append(out, name)
		}
	}
	return out
}

func TestClientAPISeam(t *testing.T) {
	handler.AddRoute(t, "/v1/events", eventAPI{})
	e := newEnvSim(t, ocisim.Options{TokenDelay: 100 * time.Millisecond}, func(o *handler.Options) { o.KeepAlive = 20 * time.Millisecond })
	before := goleak.IgnoreCurrent()
	send := func(body string, hdr ...string) (*http.Response, string) {
		res := e.do(t, "POST", "/v1/events", body, hdr...)
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}

	res, body := send(`{"model":"llama","messages":[{"role":"user","content":"Hi there"}]}`)
	if res.StatusCode != 200 || body != `{"kind":"whole","stop":"stop","text":"Hello from meta.llama-3.3-70b-instruct! You said: Hi there"}`+"\n" {
		t.Errorf("whole answer %d %s", res.StatusCode, body)
	}

	// OCI pauses 100 ms before each event: the API's keep-alive fills the silence; its usage event arrives
	// although the wire request did not ask, and its stop event ends the stream.
	res, body = send(`{"model":"llama","stream":true,"messages":[{"role":"user","content":"Hi"}]}`)
	names := eventNames(body)
	if res.Header.Get("Content-Type") != "text/event-stream" || len(names) < 4 || names[0] != "start" || names[len(names)-2] != "usage" || names[len(names)-1] != "stop" {
		t.Fatalf("events %v\n%s", names, body)
	}
	if !strings.Contains(body, "event: ping") || !strings.Contains(body, `"text":"Hello "`) {
		t.Errorf("no keep-alive or no text while OCI was slow:\n%s", body)
	}
	if pings := strings.Count(body, "event: ping"); pings < 3 { // every silence of 100 ms holds about four
		t.Errorf("%d keep-alive events: the timer must start again after each write\n%s", pings, body)
	}

	// Errors on the API's routes come in its envelope: auth, model, and a failure mid-stream.
	if res, body = send(`{}`, "Authorization", ""); res.StatusCode != 401 || !strings.Contains(body, `"type":"error"`) {
		t.Errorf("no key: %d %s", res.StatusCode, body)
	}
	if res, body = send(`{"model":"nope","messages":[]}`); res.StatusCode != 404 || !strings.Contains(body, `"type":"error"`) || !strings.Contains(body, `"request_id":"req_`) {
		t.Errorf("unknown model: %d %s", res.StatusCode, body)
	}
	e.sim.Inject(ocisim.Fault{MalformedAt: 2})
	_, body = send(`{"model":"llama","stream":true,"messages":[{"role":"user","content":"Hi"}]}`)
	if names := eventNames(body); names[len(names)-1] != "error" || !strings.Contains(body, "OCI sent an event the gateway cannot read") {
		t.Errorf("mid-stream failure:\n%s", body)
	}
	// The keep-alive timer ends with its stream.
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	e.oci.CloseIdleConnections()
	goleak.VerifyNone(t, before)
}
