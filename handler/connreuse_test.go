package handler_test

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/ocisim"
)

// A stream the gateway has relayed to its end leaves its OCI connection for the next request: over HTTP/1.1,
// closing an answer before its last bytes ([DONE] arrives a token delay after the finish event the gateway
// stops at) would close the connection, and every stream would dial (over TLS: shake hands) again.
func TestStreamsReuseTheOCIConnection(t *testing.T) {
	conns := make(chan string, 10) // the connection (client address) of each OCI request, once answered
	e := newEnvWrapped(t, ocisim.Options{TokenDelay: 5 * time.Millisecond}, func(sim http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sim.ServeHTTP(w, r)
			conns <- r.RemoteAddr
		})
	})
	const n = 5
	seen := map[string]bool{}
	for i := range n {
		res := e.do(t, "POST", chatPath, streamBody)
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 || !strings.Contains(string(b), `"finish_reason":"stop"`) {
			t.Fatalf("stream %d: %d %v\n%s", i, res.StatusCode, err, b)
		}
		seen[<-conns] = true // OCI has sent the whole answer: the gateway's connection is free once it read it
	}
	// The gateway reads the rest of each answer on a goroutine of its own, which may not have put the connection
	// back before the next request; one connection for all would be the rule, n would be the old behaviour.
	if len(seen) == n {
		t.Errorf("%d streams used %d OCI connections: each stream dialled anew", n, len(seen))
	}
}

// A client that stops reading at [DONE] (as SDKs do) keeps its connection to the gateway: [DONE] goes out with
// the end of the body, in one write, so the client's read of it sees the body end too.
func TestStreamClientStoppingAtDoneKeepsItsConnection(t *testing.T) {
	e := newEnvSim(t, ocisim.Options{TokenDelay: time.Millisecond})
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	const n = 5
	seen := map[string]bool{}
	for i := range n {
		req, _ := http.NewRequest("POST", e.gateway.URL+chatPath, strings.NewReader(streamBody))
		req.Header.Set("Authorization", "Bearer "+testKey)
		var conn string
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			GotConn: func(c httptrace.GotConnInfo) { conn = c.Conn.LocalAddr().String() },
		}))
		res, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(res.Body)
		done := false
		for !done && sc.Scan() {
			done = sc.Text() == "data: [DONE]"
		}
		res.Body.Close()
		if !done {
			t.Fatalf("stream %d ended without [DONE]: %v", i, sc.Err())
		}
		seen[conn] = true
	}
	if len(seen) != 1 {
		t.Errorf("%d streams used %d connections to the gateway: a client stopping at [DONE] lost its connection", n, len(seen))
	}
}
