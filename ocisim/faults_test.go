package ocisim_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"

	"github.com/ociai/ociai-proxy/ocisim"
)

// postCtx sends a signed chat with ctx.
func (e *env) postCtx(ctx context.Context, body any) (*http.Response, error) {
	e.t.Helper()
	req := newRequest(e.t, e.srv.URL+"/20231130/actions/chat", mustJSON(e.t, body), e.signer, time.Now())
	return e.srv.Client().Do(req.WithContext(ctx))
}

// lines reads data payloads until EOF or error; err is the read error
// (nil on a clean end).
func lines(r io.Reader) (data []string, err error) {
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		line, err := br.ReadString('\n')
		if line = strings.TrimRight(line, "\n"); line != "" {
			data = append(data, strings.TrimPrefix(line, "data: "))
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
	}
}

func hiStream(usage bool) map[string]any {
	return streamBody("openai.gpt-4.1", usage, nil, userMsg("hi"))
}

func TestFaultStatus(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	e.sim.Inject(ocisim.Fault{Status: 429, RetryAfter: "3"})
	resp := e.post("/20231130/actions/chat", helloBody)
	body := readAll(t, resp)
	wantEq(t, "status", resp.StatusCode, 429)
	wantEq(t, "Retry-After", resp.Header.Get("Retry-After"), "3")
	wantEq(t, "body", body, `{"code":"TooManyRequests","message":"Too many requests for the user."}`)
	wantEq(t, "content-type", resp.Header.Get("Content-Type"), "application/json")
	if resp.Header.Get("opc-request-id") == "" {
		t.Error("no opc-request-id")
	}
	if status, _ := e.chat(helloBody); status != 200 {
		t.Errorf("second request %d, the fault should be used up", status)
	}

	// FIFO and Count
	e.sim.Inject(ocisim.Fault{Status: 503, Count: 2})
	e.sim.Inject(ocisim.Fault{Status: 500})
	for i, want := range []struct {
		status int
		code   string
	}{{503, "ServiceUnavailable"}, {503, "ServiceUnavailable"}, {500, "InternalServerError"}, {200, ""}} {
		status, out := e.chat(helloBody)
		if status != want.status || (want.code != "" && out["code"] != want.code) {
			t.Errorf("request %d: %d %v, want %d %s", i, status, out, want.status, want.code)
		}
	}

	// the SDK sees a service error with the OCI code
	e.sim.Inject(ocisim.Fault{Status: 401})
	c := sdkClient(t, e)
	_, err := c.EmbedText(context.Background(), sdkEmbedRequest())
	if se, ok := common.IsServiceError(err); !ok || se.GetHTTPStatusCode() != 401 || se.GetCode() != "NotAuthenticated" || se.GetOpcRequestID() == "" {
		t.Errorf("SDK error %v", err)
	}
}

// An unauthenticated request does not consume a fault meant for the client.
func TestFaultNotTakenByRejectedRequests(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	e.sim.Inject(ocisim.Fault{Status: 500})
	_, other := identities(t)
	resp := e.do(newRequest(t, e.srv.URL+"/20231130/actions/chat", mustJSON(t, helloBody), apiKeySigner(other), time.Now()))
	resp.Body.Close()
	wantEq(t, "unknown key", resp.StatusCode, 401)
	status, _ := e.chat(helloBody)
	wantEq(t, "faulted", status, 500)
}

func TestFaultFirstByteDelayAndLatency(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocisim.Options{Latency: 50 * time.Millisecond})
	start := time.Now()
	e.chat(helloBody)
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("latency not applied: %v", d)
	}
	e.sim.Inject(ocisim.Fault{FirstByteDelay: 150 * time.Millisecond})
	start = time.Now()
	resp := e.post("/20231130/actions/chat", hiStream(false))
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("stream headers after %v, want ≥ 200ms", d)
	}
	data, err := lines(resp.Body)
	resp.Body.Close()
	if err != nil || data[len(data)-1] != "[DONE]" {
		t.Errorf("stream after delay: %v %v", data, err)
	}
}

func TestTokenDelay(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocisim.Options{TokenDelay: 20 * time.Millisecond})
	start := time.Now()
	_, data := e.stream(hiStream(false)) // 8 events + [DONE] → 8 pauses
	if d := time.Since(start); d < 8*20*time.Millisecond {
		t.Errorf("%d events in %v", len(data), d)
	}
}

func TestFaultBreakAfter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocisim.Options{})
	e.sim.Inject(ocisim.Fault{BreakAfter: 3})
	resp := e.post("/20231130/actions/chat", hiStream(false))
	wantEq(t, "status", resp.StatusCode, 200)
	data, err := lines(resp.Body)
	resp.Body.Close()
	wantEq(t, "events before the break", len(data), 3)
	t.Logf("read error after the break: %v", err)
	if err == nil {
		t.Error("stream ended cleanly, want a broken connection")
	}

	// non-stream: no response at all
	e.sim.Inject(ocisim.Fault{BreakAfter: 1})
	req := newRequest(t, e.srv.URL+"/20231130/actions/chat", mustJSON(t, helloBody), e.signer, time.Now())
	if resp, err := e.srv.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("non-stream break: got status %d, want a transport error", resp.StatusCode)
	}
	if reqs := e.sim.Requests(); reqs[len(reqs)-1].Status != 0 {
		t.Errorf("recorded status %d for an aborted request", reqs[len(reqs)-1].Status)
	}
}

// readUntil reads a stream with a deadline; it returns the payloads and
// whether the deadline (not the server) ended the read.
func readUntil(t *testing.T, e *env, body any, d time.Duration) ([]string, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	resp, err := e.postCtx(ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := lines(resp.Body)
	return data, errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil
}

func TestFaultHangAfterFinish(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocisim.Options{})
	e.sim.Inject(ocisim.Fault{HangAfterFinish: true})
	data, timedOut := readUntil(t, e, hiStream(true), 300*time.Millisecond)
	if !timedOut {
		t.Error("stream ended before the client gave up")
	}
	last := data[len(data)-1]
	if !strings.Contains(last, `"usage"`) || strings.Contains(strings.Join(data, ""), "[DONE]") {
		t.Errorf("want finish + usage and no [DONE], got %v", data)
	}
	waitNoStreams(t, e)
}

func TestFaultSilentAfter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocisim.Options{})
	e.sim.Inject(ocisim.Fault{SilentAfter: 2})
	data, timedOut := readUntil(t, e, hiStream(false), 300*time.Millisecond)
	if !timedOut || len(data) != 2 {
		t.Errorf("timed out %v, events %v", timedOut, data)
	}
	waitNoStreams(t, e)

	// non-stream: never answers
	e.sim.Inject(ocisim.Fault{SilentAfter: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if resp, err := e.postCtx(ctx, helloBody); err == nil {
		resp.Body.Close()
		t.Errorf("non-stream silent: got %d", resp.StatusCode)
	}
}

func TestFaultMalformedAt(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocisim.Options{})
	e.sim.Inject(ocisim.Fault{MalformedAt: 2})
	_, data := e.stream(hiStream(false))
	wantEq(t, "event 2", data[1], "{not json")
	wantEq(t, "event 3 intact", strings.HasPrefix(data[2], `{"index":0`), true)
	wantEq(t, "done", data[len(data)-1], "[DONE]")

	e.sim.Inject(ocisim.Fault{MalformedAt: 1})
	resp := e.post("/20231130/actions/chat", helloBody)
	wantEq(t, "non-stream body", readAll(t, resp), "{not json")
	wantEq(t, "non-stream status", resp.StatusCode, 200)
}

func TestFaultHugeEvent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocisim.Options{})
	const size = 100_000
	e.sim.Inject(ocisim.Fault{HugeEvent: size})
	resp := e.post("/20231130/actions/chat", hiStream(false))
	raw := readAll(t, resp)
	lines := strings.Split(raw, "\n")
	wantEq(t, "first event is the empty text", strings.Contains(lines[0], `"text":""`), true)
	wantEq(t, "huge line length", len(lines[2]), size)
	if !strings.Contains(lines[2], `"text":"Hello xxxx`) {
		t.Errorf("huge line starts %.80q", lines[2])
	}
	decodeEvents(t, readEvents(t, strings.NewReader(raw))) // still valid JSON

	// The SDK's SSE reader gives up on lines over 64 KiB.
	e.sim.Inject(ocisim.Fault{HugeEvent: size})
	c := sdkClient(t, e)
	r, err := c.Chat(context.Background(), sdkStreamRequest())
	if err != nil {
		t.Fatal(err)
	}
	rd, _ := common.NewSSEReader(r.RawResponse)
	if err := rd.ReadAllEvents(func([]byte) {}); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("SDK reader error %v, want token too long", err)
	}
}

// A client that goes away mid-stream stops the stream: its next event is an hour away, so only a stream that
// listens for the disconnect ends before go test's timeout.
func TestClientDisconnectStopsStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocisim.Options{TokenDelay: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	resp, err := e.postCtx(ctx, streamBody("xai.grok-4", false, nil, userMsg(strings.Repeat("word ", 500))))
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(resp.Body)
	for i := 0; i < 2; i++ { // the first event comes at once
		if _, err := br.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
	}
	if e.sim.ActiveStreams() != 1 {
		t.Fatalf("active streams %d", e.sim.ActiveStreams())
	}
	cancel()
	resp.Body.Close()
	waitNoStreams(t, e)
}

// waitNoStreams waits for the simulator to finish writing every stream. It sets no deadline of its own: a stream
// that never ends fails the test through go test's timeout, not through a guess at how slow a machine may be.
func waitNoStreams(t *testing.T, e *env) {
	t.Helper()
	for e.sim.ActiveStreams() != 0 {
		time.Sleep(5 * time.Millisecond)
	}
}
