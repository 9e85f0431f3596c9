package bodydeadline_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/bodydeadline"
)

// echo reads the whole body and answers its length; a body that does not arrive in time gets 408 with the error.
func echo(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, r.Body)
	var te *bodydeadline.TimeoutError
	if errors.As(err, &te) && errors.Is(err, os.ErrDeadlineExceeded) {
		http.Error(w, fmt.Sprintf("idle=%v %v", te.Idle, err), http.StatusRequestTimeout)
		return
	}
	fmt.Fprintf(w, "read %d", n)
}

// refuse answers without reading the body, as the gateway does for a missing key.
func refuse(w http.ResponseWriter, _ *http.Request) {
	http.Error(w, "no key", http.StatusUnauthorized)
}

func serve(t *testing.T, h http.HandlerFunc, l bodydeadline.Limits) string {
	t.Helper()
	srv := httptest.NewServer(bodydeadline.Handler(h, l))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// dial opens a raw connection; the read deadline is only a safety net against a hung test.
func dial(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	return c, bufio.NewReader(c)
}

// answer reads one response and its body.
func answer(t *testing.T, br *bufio.Reader) (*http.Response, string) {
	t.Helper()
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// closed asserts the server closed the connection (EOF, not the test's own deadline).
func closed(t *testing.T, br *bufio.Reader) {
	t.Helper()
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("connection still open: %v", err)
	}
}

const head = "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n"

// A declared body that never comes does not delay an answer that does not need it, and the connection closes.
func TestEarlyAnswerDoesNotWaitForTheBody(t *testing.T) {
	addr := serve(t, refuse, bodydeadline.Limits{Idle: time.Hour, Total: time.Hour})
	c, br := dial(t, addr)
	io.WriteString(c, head) // and nothing more
	res, _ := answer(t, br)
	if res.StatusCode != 401 || !res.Close {
		t.Fatalf("status %d, close %v", res.StatusCode, res.Close)
	}
	closed(t, br)
}

func TestStalledBody(t *testing.T) {
	addr := serve(t, echo, bodydeadline.Limits{Idle: 100 * time.Millisecond, Total: time.Hour})
	for name, req := range map[string]string{
		"nothing":   head,
		"part":      head + "abc",
		"chunked":   "POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
		"keepalive": "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nokPOST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n",
	} {
		c, br := dial(t, addr)
		io.WriteString(c, req)
		if name == "keepalive" { // a complete request first: answered, and the connection kept
			if res, body := answer(t, br); res.StatusCode != 200 || body != "read 2" || res.Close {
				t.Fatalf("%s: first request: %d %q close %v", name, res.StatusCode, body, res.Close)
			}
		}
		res, body := answer(t, br)
		if res.StatusCode != http.StatusRequestTimeout || !strings.Contains(body, "idle=true the request body stalled: no bytes for 100ms") {
			t.Errorf("%s: %d %q", name, res.StatusCode, body)
		}
		closed(t, br)
	}
}

// A body that keeps trickling in is still bounded by the total.
func TestTricklingBody(t *testing.T) {
	addr := serve(t, echo, bodydeadline.Limits{Idle: time.Second, Total: 300 * time.Millisecond})
	c, br := dial(t, addr)
	io.WriteString(c, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n")
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				if _, err := io.WriteString(c, "a"); err != nil {
					return
				}
			}
		}
	}()
	res, body := answer(t, br)
	if res.StatusCode != http.StatusRequestTimeout || !strings.Contains(body, "idle=false the request body was not complete after 300ms") {
		t.Fatalf("%d %q", res.StatusCode, body)
	}
}

// Once the body is in, no deadline is left: an answer that outlasts both limits many times over arrives whole,
// and the request is not cancelled under it.
func TestLongAnswerAfterTheBody(t *testing.T) {
	addr := serve(t, func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		for i := range 8 {
			time.Sleep(50 * time.Millisecond)
			if r.Context().Err() != nil {
				fmt.Fprintf(w, "cancelled\n")
				return
			}
			fmt.Fprintf(w, "chunk %d\n", i)
			w.(http.Flusher).Flush()
		}
	}, bodydeadline.Limits{Idle: 50 * time.Millisecond, Total: 80 * time.Millisecond})
	c, br := dial(t, addr)
	io.WriteString(c, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok")
	res, body := answer(t, br)
	if res.StatusCode != 200 || !strings.HasSuffix(body, "chunk 7\n") || strings.Contains(body, "cancelled") {
		t.Fatalf("%d %q", res.StatusCode, body)
	}
}

// Over HTTP/2 the deadline applies to the stream, and an early answer does not close the shared connection.
func TestHTTP2(t *testing.T) {
	srv := httptest.NewUnstartedServer(bodydeadline.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/refuse" {
			refuse(w, r)
			return
		}
		echo(w, r)
	}), bodydeadline.Limits{Idle: 100 * time.Millisecond, Total: time.Hour}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	client := srv.Client()
	client.Timeout = 20 * time.Second // a safety net against a hung test
	for _, path := range []string{"/echo", "/refuse", "/echo"} {
		pr, pw := io.Pipe() // a body that never comes
		req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL+path, pr)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		pw.Close()
		want := http.StatusRequestTimeout
		if path == "/refuse" {
			want = http.StatusUnauthorized
		}
		if res.ProtoMajor != 2 || res.StatusCode != want || res.Header.Get("Connection") != "" {
			t.Fatalf("%s: HTTP/%d %d %v %q", path, res.ProtoMajor, res.StatusCode, res.Header, body)
		}
	}
}

// Where the response writer has no connection deadlines, the handler runs untouched.
func TestWithoutDeadlines(t *testing.T) {
	rec := httptest.NewRecorder()
	bodydeadline.Handler(http.HandlerFunc(echo), bodydeadline.Limits{}).ServeHTTP(rec, httptest.NewRequest("POST", "/x", strings.NewReader("hello")))
	if rec.Code != 200 || rec.Body.String() != "read 5" {
		t.Fatalf("%d %q", rec.Code, rec.Body)
	}
}
