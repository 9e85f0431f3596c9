package handler_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	aoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"

	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/ocisim"
)

// Regions as one pool through each client API, with its own official SDK: chat completions (openai-go), the
// Messages API (the Anthropic Go SDK) and the Responses API (openai-go). Each API's calls go through the same
// routes, so failover, cool-downs and the all-throttled 429 must look the same in each, in its own envelope.

// poolAPI is one client API driven by its SDK: a whole answer, a streamed one, and the status, error type and
// Retry-After of a failure, read the way that SDK's users read them.
type poolAPI struct {
	name   string
	whole  func(e *regionsEnv, model string) (string, error)
	stream func(e *regionsEnv, model string) (string, error)
	failed func(err error) (status int, typ, retryAfter string, ok bool)
}

func (e *regionsEnv) anthropic() anthropic.Client {
	return anthropic.NewClient(aoption.WithBaseURL(e.gateway.URL), aoption.WithAPIKey(testKey), aoption.WithMaxRetries(0))
}

var poolAPIs = []poolAPI{
	{
		name:   "chat completions",
		whole:  (*regionsEnv).chat,
		stream: (*regionsEnv).stream,
		failed: openAIFailure,
	},
	{
		name: "messages",
		whole: func(e *regionsEnv, model string) (string, error) {
			c := e.anthropic()
			m, err := c.Messages.New(context.Background(), messageParams(model))
			if err != nil {
				return "", err
			}
			return m.Content[0].Text, nil
		},
		stream: func(e *regionsEnv, model string) (string, error) {
			c := e.anthropic()
			s := c.Messages.NewStreaming(context.Background(), messageParams(model))
			defer s.Close()
			var m anthropic.Message
			for s.Next() {
				if err := m.Accumulate(s.Current()); err != nil {
					return "", err
				}
			}
			if err := s.Err(); err != nil || len(m.Content) == 0 {
				return "", err
			}
			return m.Content[0].Text, nil
		},
		failed: func(err error) (int, string, string, bool) {
			var ae *anthropic.Error
			if !errors.As(err, &ae) {
				return 0, "", "", false
			}
			return ae.StatusCode, string(ae.Type()), ae.Response.Header.Get("Retry-After"), true
		},
	},
	{
		name: "responses",
		whole: func(e *regionsEnv, model string) (string, error) {
			r, err := e.client.Responses.New(context.Background(), respInput(model, "hello"))
			if err != nil {
				return "", err
			}
			return r.OutputText(), nil
		},
		stream: func(e *regionsEnv, model string) (string, error) {
			s := e.client.Responses.NewStreaming(context.Background(), respInput(model, "hello"))
			defer s.Close()
			var text strings.Builder
			completed := false
			for s.Next() {
				switch ev := s.Current(); ev.Type {
				case "response.output_text.delta":
					text.WriteString(ev.Delta)
				case "response.completed":
					completed = true
				}
			}
			if err := s.Err(); err != nil || !completed {
				return "", errors.Join(err, errors.New("no response.completed"))
			}
			return text.String(), nil
		},
		failed: openAIFailure,
	},
}

func messageParams(model string) anthropic.MessageNewParams {
	return anthropic.MessageNewParams{Model: anthropic.Model(model), MaxTokens: 100, Messages: userText("hello")}
}

func openAIFailure(err error) (int, string, string, bool) {
	var oe *openai.Error
	if !errors.As(err, &oe) {
		return 0, "", "", false
	}
	return oe.StatusCode, oe.Type, oe.Response.Header.Get("Retry-After"), true
}

// TestPoolEveryClientAPI: with one region throttling everything, whole answers and streams of a two-region model
// succeed through every client API, and the throttled region is asked once, then left alone while it cools down.
func TestPoolEveryClientAPI(t *testing.T) {
	for _, api := range poolAPIs {
		t.Run(api.name, func(t *testing.T) {
			e := newRegionsEnv(t, []string{chicago, phoenix}, []handler.Model{pooled("grok", grokID, "GENERIC", "", chicago, phoenix)})
			e.sims[chicago].Always(ocisim.Fault{Status: 429})
			for i := range 2 {
				if got, err := api.whole(e, "grok"); err != nil || got != helloGrok {
					t.Fatalf("whole %d: %q, %v", i, got, err)
				}
				if got, err := api.stream(e, "grok"); err != nil || got != helloGrok {
					t.Fatalf("stream %d: %q, %v", i, got, err)
				}
			}
			if e.seen(chicago) != 1 || e.seen(phoenix) != 4 {
				t.Errorf("chicago asked %d times, phoenix %d: want 1 (then cooling down) and 4", e.seen(chicago), e.seen(phoenix))
			}
		})
	}
}

// TestPoolStreamsFailOverEveryClientAPI: a stream whose first region fails before the first byte (a 500, then a
// refused connection) is answered by the next region, whichever client API asked.
func TestPoolStreamsFailOverEveryClientAPI(t *testing.T) {
	for _, api := range poolAPIs {
		t.Run(api.name, func(t *testing.T) {
			m := pooled("grok", grokID, "GENERIC", "", chicago, phoenix)
			down := pooled("grok-down", grokID, "GENERIC", "", ashburn, phoenix)
			down.Targets[0].Endpoint = unreachable(t)
			e := newRegionsEnv(t, []string{chicago, phoenix}, []handler.Model{m, down})
			e.sims[chicago].Inject(ocisim.Fault{Status: 500})
			if got, err := api.stream(e, "grok"); err != nil || got != helloGrok || e.seen(chicago) != 1 || e.seen(phoenix) != 1 {
				t.Fatalf("%q, %v; chicago %d, phoenix %d", got, err, e.seen(chicago), e.seen(phoenix))
			}
			if got, err := api.stream(e, "grok-down"); err != nil || got != helloGrok || e.seen(phoenix) != 2 {
				t.Fatalf("unreachable ashburn: %q, %v", got, err)
			}
		})
	}
}

// TestPoolThrottledEveryClientAPI: a model whose every region is throttled answers 429 with Retry-After in the
// client API's own error envelope (rate_limit_error, which each SDK reads as its type), whole or streamed: with
// OCI's own Retry-After for a one-region model, and the soonest cool-down for a pooled one, which OCI is then not
// asked again for.
func TestPoolThrottledEveryClientAPI(t *testing.T) {
	for _, api := range poolAPIs {
		t.Run(api.name, func(t *testing.T) {
			e := newRegionsEnv(t, []string{chicago, phoenix}, []handler.Model{
				pooled("grok-chicago", grokID, "GENERIC", "", chicago),
				pooled("grok", grokID, "GENERIC", "", chicago, phoenix),
			})
			e.sims[chicago].Always(ocisim.Fault{Status: 429, RetryAfter: "7"})
			e.sims[phoenix].Always(ocisim.Fault{Status: 429})
			check := func(what string, err error, minRA, maxRA int) {
				t.Helper()
				status, typ, ra, ok := api.failed(err)
				secs, raErr := strconv.Atoi(ra)
				if !ok || status != http.StatusTooManyRequests || typ != "rate_limit_error" || raErr != nil || secs < minRA || secs > maxRA {
					t.Errorf("%s: %v (status %d, type %q, Retry-After %q), want 429 rate_limit_error with Retry-After %d-%d", what, err, status, typ, ra, minRA, maxRA)
				}
			}
			_, err := api.whole(e, "grok-chicago")
			check("one region, whole", err, 7, 7)
			_, err = api.stream(e, "grok-chicago")
			check("one region, stream", err, 7, 7)

			_, err = api.whole(e, "grok") // chicago is cooling down (7 s); phoenix answers 429 and starts its own (5 s)
			check("pooled, whole", err, 1, 5)
			before := e.seen(chicago) + e.seen(phoenix)
			_, err = api.stream(e, "grok")
			check("pooled, stream", err, 1, 5)
			if after := e.seen(chicago) + e.seen(phoenix); after != before {
				t.Errorf("OCI was asked %d more times while every region cooled down", after-before)
			}
		})
	}
}
