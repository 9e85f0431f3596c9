package ocitest

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
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/ocisim"
)

// The simulator checks a translation end to end: signed requests over real HTTP, validated like the service, and
// every body must survive a decode/encode round trip through the OCI Go SDK's own wire model
// (generativeaiinference.ChatDetails) unchanged, which proves the field names and shapes match the SDK.

var (
	simOnce sync.Once
	simID   ocisim.Identity
	simErr  error
)

// Sim is a signed client of the OCI simulator on loopback.
type Sim struct {
	t      *testing.T
	srv    *httptest.Server
	signer common.HTTPRequestSigner
}

// NewSim starts the simulator for the test.
func NewSim(t *testing.T) *Sim {
	t.Helper()
	simOnce.Do(func() { simID, simErr = ocisim.NewIdentity() })
	if simErr != nil {
		t.Fatal(simErr)
	}
	// Command A Reasoning is served on demand outside the simulator's default region only.
	sim := ocisim.New(ocisim.Options{ExtraModels: []string{"cohere.command-a-reasoning-08-2025"}})
	sim.AddIdentity(simID)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	p := common.NewRawConfigurationProvider(simID.Tenancy, simID.User, "us-chicago-1", simID.Fingerprint, string(simID.PrivateKeyPEM), nil)
	return &Sim{t: t, srv: srv, signer: common.DefaultRequestSigner(p)}
}

// Post signs and sends an OCI chat body; it returns the status and body.
func (e *Sim) Post(details *core.ChatDetails) (int, []byte) {
	e.t.Helper()
	body, err := json.Marshal(details)
	if err != nil {
		e.t.Fatal(err)
	}
	CheckSDKRoundTrip(e.t, body)
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

// CheckSDKRoundTrip decodes body with the SDK model and encodes it again:
// after dropping the SDK's explicit nulls it must equal body.
func CheckSDKRoundTrip(t *testing.T, body []byte) {
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

// Target is an on-demand target for model.
func Target(model string) core.Target {
	return core.Target{ModelID: model, CompartmentID: "ocid1.compartment.oc1..aaaatest", DefaultMaxTokens: 500}
}

// CompletionJSON renders the first choice's message and finish reason.
func CompletionJSON(t *testing.T, c *hub.ChatCompletion) string {
	t.Helper()
	b, err := json.Marshal(c.Choices[0].Message)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + " " + c.Choices[0].FinishReason
}

// RunStream posts d, feeds the simulator's events to s until it finishes and returns what a client accumulates.
func RunStream(t *testing.T, e *Sim, d *core.ChatDetails, s core.Stream) (content string, calls []hub.ToolCall, finish string, usage *hub.Usage) {
	t.Helper()
	status, body := e.Post(d)
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
		chunks = append(chunks, Keep(out)...)
		if s.Finished() {
			break
		}
	}
	if !s.Finished() || !s.FinishSeen() {
		t.Error("stream not finished after the simulator's last event")
	}
	chunks = append(chunks, Keep(s.Close())...)
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

// WeatherTool is a tools list with one function that has required, enum and optional parameters.
const WeatherTool = `[{"type":"function","function":{"name":"get_weather","description":"Weather for a city",
	"parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},
	"unit":{"type":"string","enum":["C","F"]}},"required":["city","unit"]}}}]`
