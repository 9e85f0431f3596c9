package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/ociai/ociai-proxy/internal/npmtest"
)

// apiGateway is a stand-in for OCI API Gateway in front of the function: it serves the function over loopback
// HTTP, each request becoming one Fn call (method, path and query, headers as Fn-Http-H-*, body) and the
// function's buffered answer going back with its status and headers. It notes each exchange.
type apiGateway struct {
	URL  string
	mu   sync.Mutex
	seen []exchange
}

// exchange is one request through the gateway stand-in: what was asked, whether it asked for a stream, and
// the answer's status and content type.
type exchange struct {
	method, path string
	stream       bool
	status       int
	contentType  string
}

func (f *fnProcess) apiGateway(t *testing.T) *apiGateway {
	t.Helper()
	g := &apiGateway{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var asked struct{ Stream bool }
		_ = json.Unmarshal(body, &asked)
		req, _ := http.NewRequestWithContext(r.Context(), "POST", "http://localhost/call", bytes.NewReader(body))
		req.Header.Set("Fn-Call-Id", fmt.Sprintf("01CALL%d", time.Now().UnixNano()))
		req.Header.Set("Fn-Deadline", time.Now().Add(time.Minute).UTC().Format(time.RFC3339Nano))
		req.Header.Set("Fn-Intent", "httprequest")
		req.Header.Set("Fn-Http-Method", r.Method)
		req.Header.Set("Fn-Http-Request-Url", r.URL.RequestURI())
		req.Header.Set("Content-Type", r.Header.Get("Content-Type"))
		for k, vs := range r.Header {
			for _, v := range vs {
				req.Header.Add("Fn-Http-H-"+k, v)
			}
		}
		res, err := f.client.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		for k, vs := range res.Header {
			if name, ok := strings.CutPrefix(k, "Fn-Http-H-"); ok {
				w.Header()[name] = vs
			}
		}
		w.Header().Set("Content-Type", res.Header.Get("Content-Type"))
		status := http.StatusOK
		_, _ = fmt.Sscan(res.Header.Get("Fn-Http-Status"), &status)
		w.WriteHeader(status)
		_, _ = io.Copy(w, res.Body)
		g.mu.Lock()
		g.seen = append(g.seen, exchange{r.Method, r.URL.Path, asked.Stream, status, res.Header.Get("Content-Type")})
		g.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	g.URL = srv.URL
	return g
}

func (g *apiGateway) exchanges() []exchange {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]exchange(nil), g.seen...)
}

// neverStreamed checks that every OCI call the function made was a non-streaming one.
func (f *fnProcess) neverStreamed(t *testing.T) {
	t.Helper()
	for _, r := range f.sim.Requests() {
		if strings.Contains(string(r.Body), `"isStream":true`) {
			t.Error("the function asked OCI to stream")
		}
	}
}

// TestFunctionMessages: the Anthropic SDK through the function (behind the API Gateway stand-in): a stream comes
// back as one buffered body in Anthropic's event grammar, from a non-streaming OCI call.
func TestFunctionMessages(t *testing.T) {
	f := startFunction(t)
	base := f.apiGateway(t).URL + "/anthropic"
	c := anthropic.NewClient(option.WithBaseURL(base), option.WithAPIKey(fnKey), option.WithMaxRetries(0))
	p := anthropic.MessageNewParams{Model: "grok", MaxTokens: 100, Messages: []anthropic.MessageParam{
		anthropic.NewUserMessage(anthropic.NewTextBlock("Hi from the function"))}}
	whole, err := c.Messages.New(context.Background(), p)
	if err != nil || whole.Content[0].Text != "Hello from xai.grok-4! You said: Hi from the function" {
		t.Fatalf("%v %+v", err, whole)
	}
	s := c.Messages.NewStreaming(context.Background(), p)
	var m anthropic.Message
	var events []string
	for s.Next() {
		events = append(events, s.Current().Type)
		if err := m.Accumulate(s.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Err(); err != nil || m.Content[0].Text != whole.Content[0].Text || m.StopReason != "end_turn" || m.Usage.OutputTokens == 0 {
		t.Fatalf("stream: %v %s", err, m.RawJSON())
	}
	want := "message_start content_block_start content_block_delta content_block_stop message_delta message_stop"
	if got := strings.Join(events, " "); got != want {
		t.Errorf("events %s, want %s", got, want)
	}
	f.neverStreamed(t)
	wrong := anthropic.NewClient(option.WithBaseURL(base), option.WithAPIKey("sk-wrong"), option.WithMaxRetries(0))
	_, err = wrong.Messages.New(context.Background(), p)
	var ae *anthropic.Error
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Type() != "authentication_error" {
		t.Errorf("wrong key: %v", err)
	}
}

// TestClaudeCodeThroughFunction runs Claude Code against the function's buffered path: a prompt, then a tool
// round trip (Bash runs pwd on this machine, its result goes back to the model). Claude Code streams; every
// answer reaches it as one buffered event stream.
func TestClaudeCodeThroughFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not running Claude Code")
	}
	bin := npmtest.ClaudeCode(t)
	f := startFunction(t)
	gw := f.apiGateway(t)
	cc := &npmtest.Claude{Bin: bin, BaseURL: gw.URL + "/anthropic", Dir: t.TempDir(),
		Env: []string{"ANTHROPIC_AUTH_TOKEN=" + fnKey, "ANTHROPIC_MODEL=grok", "ANTHROPIC_DEFAULT_HAIKU_MODEL=llama"}}
	cc.PromptAndTool(t, "xai.grok-4")
	f.neverStreamed(t)
	// Claude Code retries a stream it cannot read without streaming, which would hide a broken buffered stream.
	calls := 0
	for _, x := range gw.exchanges() {
		if x.path == "/anthropic/v1/messages" {
			calls++
			if !x.stream || x.status != 200 || x.contentType != "text/event-stream" {
				t.Errorf("not a successful stream: %+v", x)
			}
		}
	}
	if calls < 3 {
		t.Errorf("%d Messages calls, want the prompt's and the tool round trip's: %+v", calls, gw.exchanges())
	}
}
