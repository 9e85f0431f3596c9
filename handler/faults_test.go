package handler_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/ocisim"
)

// OCI misbehaving, seen through the gateway: what is retried, what is not, and how each failure reaches the
// client. The harness turns retries off; these tests turn them on with short backoffs.

const (
	chatPath    = "/v1/chat/completions"
	plainBody   = `{"model":"llama","messages":[{"role":"user","content":"x"}]}`
	streamBody  = `{"model":"llama","stream":true,"messages":[{"role":"user","content":"x"}]}`
	answerLlama = "Hello from meta.llama-3.3-70b-instruct! You said: x"
)

// fastRetries gives the client the production policy (2 retries, 8 s cap) with a 5 ms backoff base.
func fastRetries(e *env) {
	e.oci.SetRetryPolicy(ocigenai.RetryPolicy{MaxRetries: 2, BaseDelay: 5 * time.Millisecond, MaxDelay: ocigenai.DefaultMaxDelay})
}

// simStatuses waits until the simulator has recorded n requests (a request is recorded when it is answered or
// aborted, which for a request the gateway abandoned can be a moment after the client got its answer) and
// returns their statuses; it fails when the count is not exactly n. Retries all happen before the client's
// answer, so none can arrive later.
func simStatuses(t *testing.T, e *env, n int) []int {
	t.Helper()
	reqs := e.sim.Requests()
	for ; len(reqs) < n; reqs = e.sim.Requests() { // go test's timeout reports requests that never come
		time.Sleep(5 * time.Millisecond)
	}
	out := make([]int, len(reqs))
	for i, r := range reqs {
		out[i] = r.Status
	}
	if len(out) != n {
		t.Fatalf("OCI saw %d requests %v, want %d", len(out), out, n)
	}
	return out
}

func TestRetryRateLimitThenSuccess(t *testing.T) {
	e := newEnv(t)
	fastRetries(e)
	e.sim.Inject(ocisim.Fault{Status: 429, RetryAfter: "1"})
	start := time.Now()
	res := e.do(t, "POST", chatPath, plainBody)
	elapsed := time.Since(start)
	var comp struct {
		Choices []struct{ Message struct{ Content string } }
	}
	if err := json.NewDecoder(res.Body).Decode(&comp); err != nil || res.StatusCode != 200 || comp.Choices[0].Message.Content != answerLlama {
		t.Fatalf("status %d, %v, %+v", res.StatusCode, err, comp)
	}
	if st := simStatuses(t, e, 2); st[0] != 429 || st[1] != 200 {
		t.Fatalf("OCI answered %v", st)
	}
	reqs := e.sim.Requests()
	d0, err0 := http.ParseTime(reqs[0].Header.Get("Date"))
	d1, err1 := http.ParseTime(reqs[1].Header.Get("Date"))
	if err0 != nil || err1 != nil || d1.Sub(d0) < time.Second || elapsed < time.Second {
		t.Errorf("Retry-After 1 not honoured: Dates %v → %v, call took %v", d0, d1, elapsed)
	}
	if string(reqs[0].Body) != string(reqs[1].Body) || reqs[0].Header.Get("Authorization") == reqs[1].Header.Get("Authorization") {
		t.Error("the retry must carry the same body, signed afresh")
	}

	// A stream is retried the same way while no byte of it has been answered.
	e.sim.Reset()
	e.sim.Inject(ocisim.Fault{Status: 503})
	ev := sseEvents(t, e.do(t, "POST", chatPath, streamBody))
	if ev[len(ev)-1] != "[DONE]" || !strings.Contains(strings.Join(ev, ""), "Hello") {
		t.Fatalf("events %q", ev)
	}
	if st := simStatuses(t, e, 2); st[0] != 503 || st[1] != 200 {
		t.Fatalf("OCI answered %v", st)
	}
}

func TestRetryPersistentServerError(t *testing.T) {
	var mu sync.Mutex
	var ids []string // opc-request-id of each OCI answer, in order
	e := newEnvWrapped(t, ocisim.Options{}, func(sim http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sim.ServeHTTP(w, r)
			mu.Lock()
			ids = append(ids, w.Header().Get("opc-request-id"))
			mu.Unlock()
		})
	})
	fastRetries(e)
	for _, body := range []string{plainBody, streamBody} {
		e.sim.Reset()
		mu.Lock()
		ids = nil
		mu.Unlock()
		e.sim.Inject(ocisim.Fault{Status: 500, Count: 10})
		res := e.do(t, "POST", chatPath, body)
		if res.StatusCode != http.StatusBadGateway || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("status %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		er := decodeErr(t, res)
		simStatuses(t, e, 3) // exactly 1+N attempts
		mu.Lock()
		last := ids[len(ids)-1]
		mu.Unlock()
		if code(er) != "oci_error" || !strings.Contains(er.Error.Message, "opc-request-id: "+last) || !strings.Contains(er.Error.Message, "after 3 attempts") {
			t.Errorf("message %q should name the last attempt's opc-request-id %s", er.Error.Message, last)
		}
	}
}

func TestRetryResetBeforeHeaders(t *testing.T) {
	e := newEnv(t)
	fastRetries(e)
	// BreakAfter on a non-stream request resets the connection before any response byte.
	e.sim.Inject(ocisim.Fault{BreakAfter: 1})
	res := e.do(t, "POST", chatPath, plainBody)
	if body, _ := io.ReadAll(res.Body); res.StatusCode != 200 || !strings.Contains(string(body), answerLlama) {
		t.Fatalf("status %d %s", res.StatusCode, body)
	}
	if st := simStatuses(t, e, 2); st[0] != 0 || st[1] != 200 {
		t.Fatalf("OCI answered %v", st)
	}

	e.sim.Reset()
	e.sim.Inject(ocisim.Fault{BreakAfter: 1, Count: 5})
	res = e.do(t, "POST", chatPath, plainBody)
	if er := decodeErr(t, res); res.StatusCode != http.StatusBadGateway || code(er) != "oci_unreachable" || !strings.Contains(er.Error.Message, "after 3 attempts") {
		t.Fatalf("status %d %+v", res.StatusCode, er.Error)
	}
	simStatuses(t, e, 3)
}

// Failures that retrying cannot fix reach the client after one attempt.
func TestNoRetryForClientSideFailures(t *testing.T) {
	e := newEnv(t)
	fastRetries(e)
	for _, tc := range []struct {
		status, want int
		msg          string
	}{
		{401, 502, "the gateway's own credentials"},
		{403, 502, "the gateway's own credentials"},
		{400, 400, "OCI Generative AI rejected the request"},
		{404, 404, "NotAuthorizedOrNotFound"},
		{501, 502, "MethodNotImplemented"},
	} {
		e.sim.Reset()
		e.sim.Inject(ocisim.Fault{Status: tc.status, Count: 5})
		res := e.do(t, "POST", chatPath, plainBody)
		er := decodeErr(t, res)
		if res.StatusCode != tc.want || !strings.Contains(er.Error.Message, tc.msg) || !strings.Contains(er.Error.Message, "opc-request-id") {
			t.Errorf("OCI %d: status %d %q", tc.status, res.StatusCode, er.Error.Message)
		}
		simStatuses(t, e, 1)
	}
	e.sim.Reset()
}

// A Retry-After the request's deadline cannot wait for is passed on at once instead of ending in a timeout.
func TestRetryAfterBeyondDeadline(t *testing.T) {
	e := newEnv(t, func(o *handlerOptions) { o.RequestTimeout = 2 * time.Second })
	fastRetries(e)
	e.sim.Inject(ocisim.Fault{Status: 429, RetryAfter: "5", Count: 3})
	// Waiting the 5 s would run into the 2 s deadline and end in a 504: the 429 itself, from OCI's only attempt,
	// shows the gateway did not wait.
	res := e.do(t, "POST", chatPath, plainBody)
	if er := decodeErr(t, res); res.StatusCode != 429 || res.Header.Get("Retry-After") != "5" || er.Error.Type != "rate_limit_error" {
		t.Fatalf("status %d Retry-After %q %+v", res.StatusCode, res.Header.Get("Retry-After"), er.Error)
	}
	simStatuses(t, e, 1)
}

// When the client leaves mid-stream the gateway closes the OCI connection while OCI is still answering, and
// every goroutine of the request ends.
func TestClientDisconnectClosesOCIPromptly(t *testing.T) {
	ociGone := make(chan bool, 1) // the simulator's handler returned; true when the gateway had closed the connection
	e := newEnvWrapped(t, ocisim.Options{TokenDelay: time.Second}, func(sim http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			sim.ServeHTTP(w, r)
			ociGone <- ctx.Err() != nil
		})
	})
	fastRetries(e)
	before := goleak.IgnoreCurrent()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", e.gateway.URL+chatPath, strings.NewReader(streamBody))
	req.Header.Set("Authorization", "Bearer "+testKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	// The first chunk is out; OCI now pauses a second before each of its next events, so only the cancellation
	// travelling through the gateway can end the OCI call while OCI is still answering.
	if line, err := bufio.NewReader(res.Body).ReadString('\n'); err != nil || !strings.HasPrefix(line, "data: ") {
		t.Fatalf("%q %v", line, err)
	}
	cancel()
	res.Body.Close()
	if cut := <-ociGone; !cut {
		t.Fatal("OCI finished its answer: the gateway kept the OCI stream open after the client left")
	}
	if st := simStatuses(t, e, 1); st[0] != 200 {
		t.Errorf("OCI statuses %v", st)
	}
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	e.oci.CloseIdleConnections()
	goleak.VerifyNone(t, before)
}
