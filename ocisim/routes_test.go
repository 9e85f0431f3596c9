package ocisim_test

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/ocisim"
)

func TestRoutes(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	resp := e.post("/20231130/actions/generateText", helloBody)
	wantEq(t, "unknown path", resp.StatusCode, 404)
	wantEq(t, "404 body", readAll(t, resp), `{"code":"NotAuthorizedOrNotFound","message":"Authorization failed or requested resource not found."}`)

	resp, err := e.srv.Client().Get(e.srv.URL + "/20231130/actions/chat")
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "GET chat", resp.StatusCode, 405)
	wantEq(t, "Allow", resp.Header.Get("Allow"), "POST")
	if !strings.Contains(readAll(t, resp), `"code":"MethodNotAllowed"`) {
		t.Error("405 without MethodNotAllowed code")
	}
	if resp.Header.Get("opc-request-id") == "" {
		t.Error("no opc-request-id on 405")
	}
}

func TestRequestIDs(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		resp := e.post("/20231130/actions/chat", helloBody)
		resp.Body.Close()
		id := resp.Header.Get("opc-request-id")
		if !regexp.MustCompile(`^[0-9A-F]{32}$`).MatchString(id) || seen[id] {
			t.Fatalf("request id %q (duplicate %v)", id, seen[id])
		}
		seen[id] = true
	}
	req := newRequest(t, e.srv.URL+"/20231130/actions/chat", mustJSON(t, helloBody), e.signer, time.Now())
	req.Header.Set("opc-request-id", "CLIENT123")
	resp := e.do(req)
	resp.Body.Close()
	if id := resp.Header.Get("opc-request-id"); !regexp.MustCompile(`^CLIENT123/[0-9A-F]{32}$`).MatchString(id) {
		t.Errorf("echoed request id %q", id)
	}
}

func TestRequestsRecorded(t *testing.T) {
	e := newEnv(t, ocisim.Options{MaxRecorded: 3})
	e.chat(helloBody)
	e.chat(generic("acme.x", nil, userMsg("hi")))
	reqs := e.sim.Requests()
	wantEq(t, "count", len(reqs), 2)
	wantEq(t, "path", reqs[0].Path, "/20231130/actions/chat")
	wantEq(t, "status 0", reqs[0].Status, 200)
	wantEq(t, "status 1", reqs[1].Status, 404)
	wantEq(t, "body", string(reqs[0].Body), string(mustJSON(t, helloBody)))
	if !strings.HasPrefix(reqs[0].Header.Get("Authorization"), "Signature ") {
		t.Error("headers not recorded")
	}
	for i := 0; i < 4; i++ {
		e.call("/20231130/actions/embedText", embedBody("cohere.embed-v4.0", map[string]any{"inputs": []string{"x"}}))
	}
	reqs = e.sim.Requests()
	wantEq(t, "bounded", len(reqs), 3)
	wantEq(t, "newest last", reqs[2].Path, "/20231130/actions/embedText")

	e.sim.Inject(ocisim.Fault{Status: 500})
	e.sim.Reset()
	wantEq(t, "after reset", len(e.sim.Requests()), 0)
	if status, _ := e.chat(helloBody); status != 200 {
		t.Errorf("fault survived Reset: %d", status)
	}
}

// Many clients at once, streams and not, with faults being injected: run
// under -race.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocisim.Options{TokenDelay: time.Millisecond})
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				if i%4 == 0 {
					e.sim.Inject(ocisim.Fault{FirstByteDelay: time.Millisecond})
				}
				body := helloBody
				if j%2 == 0 {
					body = streamBody("meta.llama-3.3-70b-instruct", true, nil, userMsg("hi"))
				}
				resp := e.post("/20231130/actions/chat", body)
				data := readAll(t, resp)
				if resp.StatusCode != http.StatusOK || !strings.Contains(data, "said: ") {
					errs <- data
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Errorf("unexpected answer %q", msg)
	}
	_ = e.sim.Requests()
}
