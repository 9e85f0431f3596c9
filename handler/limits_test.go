package handler_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/ocisim"
)

// A request whose body has not arrived holds no slot of its key: the slot is taken once the body is read.
func TestSlotTakenAfterTheBody(t *testing.T) {
	e := newEnv(t, func(o *handlerOptions) { o.MaxConcurrentPerKey = 1 })
	c, err := net.Dial("tcp", strings.TrimPrefix(e.gateway.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second)) // a safety net, not a timing assertion
	io.WriteString(c, "POST "+chatPath+" HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer "+testKey+
		"\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "+strconv.Itoa(len(plainBody))+"\r\n\r\n")
	br := bufio.NewReader(c)
	// The server sends 100 Continue when the gateway starts reading the body: the request is inside, waiting.
	if line, err := br.ReadString('\n'); err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("no 100 Continue: %q %v", line, err)
	}
	br.ReadString('\n') // the blank line after it
	if res := e.do(t, "POST", chatPath, plainBody); res.StatusCode != 200 {
		t.Fatalf("the same key while the other body is pending: %d", res.StatusCode)
	}
	io.WriteString(c, plainBody) // the body comes after all: that request is served too
	res, err := http.ReadResponse(br, nil)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("the late body: %v %v", res, err)
	}
}

// 2,048 inputs (OpenAI's own limit) by default; a request over the limit is refused before any OCI call and is
// told the limit. Its items are counted after one fast decode, so even 300,000 of them cost little.
func TestEmbeddingInputLimit(t *testing.T) {
	e := newEnv(t)
	body := `{"model":"embed","input":[` + strings.TrimSuffix(strings.Repeat(`"some text",`, 300_000), ",") + `]}`
	res := e.do(t, "POST", "/v1/embeddings", body)
	er := decodeErr(t, res)
	if res.StatusCode != 400 || code(er) != "too_many_inputs" || er.Error.Param == nil || *er.Error.Param != "input" ||
		!strings.Contains(er.Error.Message, "300000") || !strings.Contains(er.Error.Message, "at most 2048") || !strings.Contains(er.Error.Message, "max_embedding_inputs") {
		t.Fatalf("%d %+v", res.StatusCode, er.Error)
	}
	if n := len(e.sim.Requests()); n != 0 {
		t.Fatalf("%d OCI calls for a refused request", n)
	}

	small := newEnv(t, func(o *handlerOptions) { o.MaxEmbeddingInputs = 100 })
	inputs := func(n int) string {
		return `{"model":"embed","input":[` + strings.TrimSuffix(strings.Repeat(`"x",`, n), ",") + `]}`
	}
	if res := small.do(t, "POST", "/v1/embeddings", inputs(100)); res.StatusCode != 200 {
		t.Fatalf("at the limit: %d", res.StatusCode)
	}
	if res := small.do(t, "POST", "/v1/embeddings", inputs(101)); res.StatusCode != 400 {
		t.Fatalf("over the limit: %d", res.StatusCode)
	}
	if n := len(small.sim.Requests()); n != 2 {
		t.Fatalf("%d OCI calls, want the 2 of the request at the limit", n)
	}
}

// gate holds OCI's embedText calls until it is opened, counting those in flight.
type gate struct {
	mu       sync.Mutex
	inFlight int
	most     int
	arrived  chan struct{}
	open     chan struct{}
}

func newGate() *gate { return &gate{arrived: make(chan struct{}, 100), open: make(chan struct{})} }

func (g *gate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/embedText") {
			g.mu.Lock()
			g.inFlight++
			g.most = max(g.most, g.inFlight)
			g.mu.Unlock()
			g.arrived <- struct{}{}
			<-g.open
			defer func() { g.mu.Lock(); g.inFlight--; g.mu.Unlock() }()
		}
		next.ServeHTTP(w, r)
	})
}

// With max_concurrent_per_key, an embeddings request runs as many OCI calls at once as its key has free slots
// (up to 4), and those calls count against the key: its chats wait for them, other keys do not.
func TestEmbeddingsCountOCICalls(t *testing.T) {
	for _, tc := range []struct{ max, want int }{{2, 2}, {1, 1}, {0, 4}} {
		g := newGate()
		e := newEnvWrapped(t, ocisim.Options{}, g.wrap, func(o *handlerOptions) { o.MaxConcurrentPerKey = tc.max })
		body := `{"model":"embed","input":[` + strings.TrimSuffix(strings.Repeat(`"x",`, 96*6), ",") + `]}`
		done := make(chan *http.Response, 1)
		go func() {
			req, _ := http.NewRequest("POST", e.gateway.URL+"/v1/embeddings", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+testKey)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				res = &http.Response{StatusCode: 0, Body: io.NopCloser(strings.NewReader(err.Error()))}
			}
			done <- res
		}()
		for range tc.want {
			<-g.arrived
		}
		if tc.max > 0 {
			if res := e.do(t, "POST", chatPath, plainBody); res.StatusCode != http.StatusTooManyRequests {
				t.Errorf("max %d: a chat of the same key while its slots are embedding: %d", tc.max, res.StatusCode)
			}
			if res := e.do(t, "POST", chatPath, plainBody, "Authorization", "Bearer sk-other"); res.StatusCode != 200 {
				t.Errorf("max %d: another key: %d", tc.max, res.StatusCode)
			}
		}
		close(g.open)
		res := <-done
		defer res.Body.Close()
		var out struct{ Data []json.RawMessage }
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 || len(out.Data) != 96*6 {
			t.Fatalf("max %d: %d, %d vectors, %v", tc.max, res.StatusCode, len(out.Data), err)
		}
		if g.most != tc.want {
			t.Errorf("max %d: %d embedText calls at once, want %d", tc.max, g.most, tc.want)
		}
	}
}
