package ocisim_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/ocisim"
)

// benchPost replays one signed request (valid for 5 minutes) so the numbers
// measure the simulator, not client-side RSA signing.
func benchPost(b *testing.B, body any) {
	e := newEnv(b, ocisim.Options{MaxRecorded: -1})
	raw := mustJSON(b, body)
	signed := newRequest(b, e.srv.URL+"/20231130/actions/chat", raw, e.signer, time.Now())
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, signed.URL.String(), bytes.NewReader(raw))
			req.Header = signed.Header.Clone()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

func BenchmarkChat(b *testing.B) {
	benchPost(b, generic("meta.llama-3.3-70b-instruct", nil, userMsg("hello there")))
}

func BenchmarkChatStream(b *testing.B) {
	benchPost(b, streamBody("meta.llama-3.3-70b-instruct", true, nil, userMsg("hello there")))
}

func BenchmarkEmbed(b *testing.B) {
	e := newEnv(b, ocisim.Options{MaxRecorded: -1})
	raw := mustJSON(b, embedBody("cohere.embed-v4.0", map[string]any{"inputs": []string{"a", "b", "c", "d"}}))
	signed := newRequest(b, e.srv.URL+"/20231130/actions/embedText", raw, e.signer, time.Now())
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, signed.URL.String(), bytes.NewReader(raw))
		req.Header = signed.Header.Clone()
		resp, err := e.srv.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
