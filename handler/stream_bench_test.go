package handler_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/ociai/ociai-proxy/anthropic"
	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/cohere"
	"github.com/ociai/ociai-proxy/oci/coherev2"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/generic"
	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/openai"
	"github.com/ociai/ociai-proxy/responses"
	"github.com/ociai/ociai-proxy/sse"
)

// BenchmarkRelayEvent is the steady-state cost of one streamed text token on the path a stream's handler runs per
// event (handler.streamChat): the OCI event read from the body (ocigenai.EventReader), decoded and assembled into
// a hub chunk (the format's core.Stream), encoded in the client API's events and written by an sse.Writer. One
// op is one OCI text-delta event, as the simulator sends it (pad included).
func BenchmarkRelayEvent(b *testing.B) {
	formats := []struct {
		name   string
		stream func() core.Stream
		event  string
	}{
		{"generic", func() core.Stream { return generic.NewStream("chatcmpl-1", "m", 1, true) },
			`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":" word"}]},"pad":"aaaaaaaaaaa"}`},
		{"cohere", func() core.Stream { return cohere.NewStream("chatcmpl-1", "m", 1, true) },
			`{"apiFormat":"COHERE","text":" word","pad":"aaaaaaaaaaa"}`},
		{"coherev2", func() core.Stream { return coherev2.NewStream("chatcmpl-1", "m", 1, true) },
			`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":" word"}]},"pad":"aaaaaaaaaaa"}`},
	}
	apis := []struct {
		name string
		api  interface {
			DecodeChat([]byte) (*hub.ChatRequest, hub.Reply, error)
		}
		body string
	}{
		{"chat", openai.ChatAPI{}, `{"model":"m","stream":true,"messages":[{"role":"user","content":"x"}]}`},
		{"messages", anthropic.MessagesAPI{}, `{"model":"m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"x"}]}`},
		{"responses", responses.API{Sealer: responses.NewSealer(func() []byte { return []byte("k") })},
			`{"model":"m","input":"x","stream":true}`},
	}
	for _, a := range apis {
		for _, f := range formats {
			b.Run(a.name+"/"+f.name, func(b *testing.B) {
				_, reply, err := a.api.DecodeChat([]byte(a.body))
				if err != nil {
					b.Fatal(err)
				}
				events := ocigenai.NewEventReader(io.NopCloser(&repeat{line: []byte("data: " + f.event + "\n\n")}))
				st := f.stream()
				out := sse.New(discard{}, reply)
				start := st.Start()
				out.Chunk(&start)
				relay := func() {
					data, err := events.Next()
					if err != nil {
						b.Fatal(err)
					}
					chunks, err := st.Event(data)
					if err != nil || len(chunks) != 1 {
						b.Fatal(len(chunks), err)
					}
					for i := range chunks {
						out.Chunk(&chunks[i])
					}
				}
				relay() // opens the text block or item
				b.ReportAllocs()
				for b.Loop() {
					relay()
				}
				if !out.OK() {
					b.Fatal(out.Errs())
				}
			})
		}
	}
}

// repeat is an endless body sending line again and again.
type repeat struct {
	line []byte
	off  int
}

func (r *repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.line[r.off:])
		n += c
		r.off = (r.off + c) % len(r.line)
	}
	return n, nil
}

// discard is a ResponseWriter and Flusher that drops what is written.
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) WriteHeader(int)             {}
func (discard) Flush()                      {}
