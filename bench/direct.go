package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"
	gai "github.com/oracle/oci-go-sdk/v65/generativeaiinference"
)

// client is one way of calling the model: directly with the OCI SDK, or through the gateway.
type client interface {
	chat(ctx context.Context, prompt string) error
	stream(ctx context.Context, prompt string, tr *trace) error
	embed(ctx context.Context, inputs []string) error
}

// trace is the timing of one streamed answer, relative to start, which the caller sets just before the call.
type trace struct {
	start  time.Time
	first  time.Duration   // first data event
	tokens []time.Duration // each event carrying answer text
	events int
	opened func()   // optional: called at the first event
	keep   bool     // record the token texts
	texts  []string // with keep: the text of each entry of tokens
}

func (t *trace) event(text []byte) {
	d := time.Since(t.start)
	if t.events == 0 {
		t.first = d
		if t.opened != nil {
			t.opened()
		}
	}
	t.events++
	if text != nil {
		t.tokens = append(t.tokens, d)
		if t.keep {
			t.texts = append(t.texts, string(bytes.TrimSpace(text)))
		}
	}
}

// transport is a keep-alive transport sized for conc concurrent calls to one host, the same for every way.
func transport(conc int) *http.Transport {
	return &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conc + 16,
		MaxIdleConnsPerHost: conc + 16,
		MaxConnsPerHost:     0, // unlimited
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		WriteBufferSize:     16 << 10,
		ReadBufferSize:      16 << 10,
	}
}

// direct calls the simulator with the OCI Go SDK, as an application without the gateway would.
type direct struct {
	sdk gai.GenerativeAiInferenceClient
	hc  *http.Client
}

// simTransport is transport for calls to the simulator s: over TLS it trusts the simulator's certificate and
// offers HTTP/2 when the link is HTTP/2 (as the OCI SDK's own transport does).
func simTransport(s *simProc, conc int) (*http.Transport, error) {
	tr := transport(conc)
	if s.caFile == "" {
		return tr, nil
	}
	pem, err := os.ReadFile(s.caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificate in %s", s.caFile)
	}
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	tr.ForceAttemptHTTP2 = s.link == linkTLS2
	return tr, nil
}

func newDirect(s *simProc, conc int) (*direct, error) {
	p := common.NewRawConfigurationProvider(s.Tenancy, s.User, "us-chicago-1", s.Fingerprint, s.keyPEM, nil)
	c, err := gai.NewGenerativeAiInferenceClientWithConfigurationProvider(p)
	if err != nil {
		return nil, err
	}
	c.Host = s.URL
	noRetry := common.NoRetryPolicy()
	c.Configuration.RetryPolicy = &noRetry
	c.Configuration.CircuitBreaker = common.NewCircuitBreaker(common.NoCircuitBreakerSetting())
	tr, err := simTransport(s, conc)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{Transport: tr}
	c.HTTPClient = hc
	return &direct{sdk: c, hc: hc}, nil
}

// chatRequest mirrors what the gateway sends for {"model":"llama","messages":[{"role":"user","content":prompt}]}
// (it adds maxTokens 4000, the gateway's default_max_tokens).
func chatRequest(prompt string, stream bool) gai.ChatRequest {
	g := gai.GenericChatRequest{
		MaxTokens: common.Int(4000),
		Messages:  []gai.Message{gai.UserMessage{Content: []gai.ChatContent{gai.TextContent{Text: common.String(prompt)}}}},
	}
	if stream {
		g.IsStream = common.Bool(true)
	}
	return gai.ChatRequest{ChatDetails: gai.ChatDetails{
		CompartmentId: common.String(compartment),
		ServingMode:   gai.OnDemandServingMode{ModelId: common.String(chatModel)},
		ChatRequest:   g,
	}}
}

func (d *direct) chat(ctx context.Context, prompt string) error {
	res, err := d.sdk.Chat(ctx, chatRequest(prompt, false))
	if err != nil {
		return err
	}
	g, ok := res.ChatResponse.(gai.GenericChatResponse)
	if !ok || len(g.Choices) == 0 {
		return fmt.Errorf("unexpected answer %T", res.ChatResponse)
	}
	return nil
}

func (d *direct) stream(ctx context.Context, prompt string, tr *trace) error {
	res, err := d.sdk.Chat(ctx, chatRequest(prompt, true))
	if err != nil {
		return err
	}
	body := res.RawResponse.Body
	defer body.Close()
	// OCI events carry the answer as message.content[0].text; the first event has empty text.
	return readEvents(body, tr, ociTextKey)
}

func (d *direct) embed(ctx context.Context, inputs []string) error {
	res, err := d.sdk.EmbedText(ctx, gai.EmbedTextRequest{EmbedTextDetails: gai.EmbedTextDetails{
		CompartmentId: common.String(compartment),
		ServingMode:   gai.OnDemandServingMode{ModelId: common.String(embedModel)},
		Inputs:        inputs,
	}})
	if err != nil {
		return err
	}
	if len(res.Embeddings) != len(inputs) {
		return fmt.Errorf("%d embeddings for %d inputs", len(res.Embeddings), len(inputs))
	}
	return nil
}

// readEvents reads `data:` lines until [DONE] or the end, stamping each; an event counts as text when the
// JSON string after textKey is not empty.
func readEvents(body io.Reader, tr *trace, textKey []byte) error {
	br := bufio.NewReaderSize(body, 16<<10)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			if data, ok := bytes.CutPrefix(line, []byte("data: ")); ok {
				if bytes.HasPrefix(data, []byte("[DONE]")) {
					return nil
				}
				tr.event(textAfter(data, textKey))
			}
		}
		if err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// textAfter returns the JSON string value following key in data, or nil when it is absent or empty.
func textAfter(data, key []byte) []byte {
	i := bytes.Index(data, key)
	if i < 0 {
		return nil
	}
	v := data[i+len(key):]
	end := bytes.IndexByte(v, '"')
	if end <= 0 {
		return nil
	}
	return v[:end]
}

// prompt is a user text that makes the simulator answer exactly tokens tokens
// ("Hello from <model>! You said: <prompt>", one token per word).
func prompt(tokens int) string {
	const fixed = 5 // "Hello ", "from ", "<model>! ", "You ", "said: "
	return strings.TrimSpace(strings.Repeat("word ", max(tokens-fixed, 1)))
}

// uniquePrompt is prompt with words no other stream of the run uses ("q<id>w<index>"), so a tap can tell
// every token apart.
func uniquePrompt(tokens int, id int64) string {
	words := make([]string, max(tokens-5, 1))
	for i := range words {
		words[i] = fmt.Sprintf("q%dw%d", id, i)
	}
	return strings.Join(words, " ")
}
