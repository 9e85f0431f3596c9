package server

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// rawConn sends head (request line and headers, maybe part of a body) on a new connection to s and returns it.
// The read deadline is a safety net against a hung test, not a timing assertion.
func rawConn(t *testing.T, s *server, head string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(c, head); err != nil {
		t.Fatal(err)
	}
	return c, bufio.NewReader(c)
}

// declared is a request head that announces a 10-byte body, which never follows.
func declared(method, path, key string) string {
	h := method + " " + path + " HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: 10\r\n"
	if key != "" {
		h += "Authorization: Bearer " + key + "\r\n"
	}
	return h + "\r\n"
}

// answeredThenClosed reads one response (an OpenAI error body unless it is /health's 200) and then EOF.
func answeredThenClosed(t *testing.T, name string, br *bufio.Reader, status int, code string) {
	t.Helper()
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Errorf("%s: no answer: %v", name, err)
		return
	}
	body, _ := io.ReadAll(res.Body)
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	if res.StatusCode != status || code != "" && (json.Unmarshal(body, &e) != nil || e.Error.Code != code) {
		t.Errorf("%s: %d %s, want %d %s", name, res.StatusCode, body, status, code)
	}
	if !res.Close {
		t.Errorf("%s: the answer does not say Connection: close", name)
	}
	// A reset is a close too: a client still sending when the server closes gets one.
	if _, err := br.ReadByte(); err != io.EOF && !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("%s: connection not closed after the answer: %v", name, err)
	}
}

// Answers that do not need the body are sent without waiting for it, and the connection then closes. The body
// deadlines are an hour here, so an answer that waited for them would never come.
func TestEarlyAnswersDoNotWaitForTheBody(t *testing.T) {
	s := start(t, t.TempDir(), []string{"OCIAI_BODY_IDLE_TIMEOUT=1h", "OCIAI_BODY_READ_TIMEOUT=1h", "OCIAI_MAX_BODY_BYTES=1MiB",
		"OCIAI_MAX_CONCURRENT_PER_KEY=1"}, "-simulate")
	// A keyed request whose body never comes is waiting inside the gateway (it was sent 100 Continue) without
	// holding its key's only slot: the key's next request is served.
	_, br := rawConn(t, s, strings.Replace(declared("POST", "/v1/chat/completions", simulatorKey), "\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n", 1))
	if line, err := br.ReadString('\n'); err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("no 100 Continue: %q %v", line, err)
	}
	if res, body := s.chat(t, simulatorKey, `{"model":"grok-4","messages":[{"role":"user","content":"hi"}]}`); res.StatusCode != 200 {
		t.Fatalf("the key's slot is held by a body that never came: %d %s", res.StatusCode, body)
	}

	for _, tc := range []struct {
		name, head string
		status     int
		code       string
	}{
		{"no key", declared("POST", "/v1/chat/completions", ""), 401, "invalid_api_key"},
		{"wrong key", declared("POST", "/v1/embeddings", "sk-wrong"), 401, "invalid_api_key"},
		{"health", declared("GET", "/health", ""), 200, ""},
		{"unknown path", declared("POST", "/v2/anything", simulatorKey), 404, "unknown_url"},
		{"wrong method", declared("PUT", "/v1/chat/completions", simulatorKey), 405, "method_not_allowed"},
		{"too large", strings.Replace(declared("POST", "/v1/chat/completions", simulatorKey), "Content-Length: 10", "Content-Length: 5000000", 1), 413, "request_too_large"},
	} {
		_, br := rawConn(t, s, tc.head)
		answeredThenClosed(t, tc.name, br, tc.status, tc.code)
	}
}

// A body that stalls, with or without a key, is answered with 408 (or 401) once body_idle_timeout passes, and a
// body that trickles is cut at body_read_timeout; either way the connection closes.
func TestStalledBodies(t *testing.T) {
	s := start(t, t.TempDir(), []string{"OCIAI_BODY_IDLE_TIMEOUT=300ms", "OCIAI_BODY_READ_TIMEOUT=1s"}, "-simulate")
	_, br := rawConn(t, s, declared("POST", "/v1/chat/completions", simulatorKey))
	answeredThenClosed(t, "chat, nothing sent", br, 408, "request_timeout")
	_, br = rawConn(t, s, strings.Replace(declared("POST", "/v1/embeddings", simulatorKey), "\r\n\r\n", "\r\n\r\n{\"mod", 1))
	answeredThenClosed(t, "embeddings, part sent", br, 408, "request_timeout")
	_, br = rawConn(t, s, declared("POST", "/v1/chat/completions", ""))
	answeredThenClosed(t, "no key", br, 401, "invalid_api_key")

	c, br := rawConn(t, s, strings.Replace(declared("POST", "/v1/chat/completions", simulatorKey), "Content-Length: 10", "Content-Length: 100000", 1))
	go func() { // one byte every 50 ms: never idle for 300 ms, never done within 1 s
		for range 100 {
			time.Sleep(50 * time.Millisecond)
			if _, err := io.WriteString(c, " "); err != nil {
				return
			}
		}
	}()
	answeredThenClosed(t, "trickle", br, 408, "request_timeout")

	// The server is healthy afterwards and serves a real request.
	if res, body := s.chat(t, simulatorKey, `{"model":"grok-4","messages":[{"role":"user","content":"hi"}]}`); res.StatusCode != 200 {
		t.Fatalf("after the stalls: %d %s", res.StatusCode, body)
	}
}

// TestDescriptorExhaustion runs the server with 64 file descriptors while waves of hostile connections, each
// declaring a body it never sends, take every descriptor: accept fails with "too many open files", yet every
// /health request is answered, because the body deadline keeps freeing descriptors.
func TestDescriptorExhaustion(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell's ulimit")
	}
	env := []string{"OCIAI_BODY_IDLE_TIMEOUT=300ms", "OCIAI_BODY_READ_TIMEOUT=1s"}
	s := launchWith(t, t.TempDir(), env, []string{"/bin/sh", "-c", `ulimit -n 64 && exec "$@"`, "sh"}, "-host", "127.0.0.1", "-simulate")
	s.waitReady(t, http.DefaultClient, s.url)

	const waves, perWave = 3, 120
	heads := []string{declared("POST", "/v1/chat/completions", ""), declared("POST", "/v1/chat/completions", simulatorKey),
		declared("GET", "/health", ""), declared("POST", "/v1/embeddings", simulatorKey)}
	var hostile sync.WaitGroup
	var mu sync.Mutex
	var notClosed []string
	for w := range waves {
		for i := range perWave {
			hostile.Go(func() {
				c, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
				if err != nil {
					return // the listen queue may be full; that is the point
				}
				defer c.Close()
				c.SetDeadline(time.Now().Add(60 * time.Second))
				io.WriteString(c, heads[(w+i)%len(heads)])
				if _, err := io.Copy(io.Discard, c); err != nil { // until the server closes it
					mu.Lock()
					notClosed = append(notClosed, err.Error())
					mu.Unlock()
				}
			})
		}
		// /health keeps being served while the wave comes and goes.
		for range 3 {
			client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
			res, err := client.Get(s.url + "/health")
			if err != nil {
				t.Fatalf("wave %d: /health: %v\n%s", w, err, s.output())
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("wave %d: /health: %d", w, res.StatusCode)
			}
		}
	}
	hostile.Wait()
	if len(notClosed) > 0 {
		t.Errorf("%d hostile connections were never closed by the server: %s", len(notClosed), notClosed[0])
	}
	if !strings.Contains(s.output(), "too many open files") {
		t.Errorf("the descriptors were never exhausted; the test proves nothing:\n%s", s.output())
	}
}

// The server listens on loopback unless told otherwise: the start-up line says so, and a non-loopback address of
// this machine (when it has one) is refused; OCIAI_HOST=0.0.0.0, as the container image sets it, opens it.
func TestDefaultBindIsLoopback(t *testing.T) {
	s := launchWith(t, t.TempDir(), nil, nil, "-simulate")
	s.waitReady(t, http.DefaultClient, s.url)
	port := s.url[strings.LastIndexByte(s.url, ':')+1:]
	waitOutput(t, s, "url=http://127.0.0.1:"+port+"/v1") // the start-up line shows the loopback address
	other := nonLoopbackIP(t)
	if other == "" {
		t.Log("no non-loopback address on this machine: only the start-up line is checked")
		return
	}
	if c, err := net.DialTimeout("tcp", net.JoinHostPort(other, port), 5*time.Second); err == nil {
		c.Close()
		t.Errorf("the default listener answers on %s", other)
	}
	open := launchWith(t, t.TempDir(), []string{"OCIAI_HOST=0.0.0.0"}, nil, "-simulate")
	open.waitReady(t, http.DefaultClient, open.url)
	oport := open.url[strings.LastIndexByte(open.url, ':')+1:]
	res, err := http.Get(fmt.Sprintf("http://%s/health", net.JoinHostPort(other, oport)))
	if err != nil {
		t.Fatalf("OCIAI_HOST=0.0.0.0 does not answer on %s: %v", other, err)
	}
	res.Body.Close()
}

func nonLoopbackIP(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}

// With metrics_listen, /metrics moves to its own address (no CORS there either), and the API port has none.
func TestMetricsListener(t *testing.T) {
	mport := freePort(t)
	s := start(t, t.TempDir(), []string{fmt.Sprintf("OCIAI_METRICS_LISTEN=127.0.0.1:%d", mport), "OCIAI_METRICS_KEY=sk-scrape"}, "-simulate")
	get := func(url, key string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Origin", "https://evil.example")
		return send(t, req, key)
	}
	if res, _ := get(s.url+"/metrics", "sk-scrape"); res.StatusCode != 404 {
		t.Errorf("API port /metrics: %d", res.StatusCode)
	}
	murl := fmt.Sprintf("http://127.0.0.1:%d/metrics", mport)
	if res, _ := get(murl, ""); res.StatusCode != 401 {
		t.Errorf("metrics without its key: %d", res.StatusCode)
	}
	res, body := get(murl, "sk-scrape")
	if res.StatusCode != 200 || !strings.Contains(body, "ociai_requests_total") || res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("metrics listener: %d %v %.200s", res.StatusCode, res.Header, body)
	}
	waitOutput(t, s, fmt.Sprintf("msg=metrics url=http://127.0.0.1:%d/metrics", mport)) // its start-up line
}
