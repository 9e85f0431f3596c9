package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/ociai/ociai-proxy/ocigenai"
)

// The relay floor is the memory floor of an open stream: the least a Go gateway can hold one with. It is the
// gateway's own OCI client (signing, transport, event reader, a one-target route) behind a plain net/http server, relaying OCI's
// events to the client unchanged: no client API, no translation, no middleware. What the gateway holds beyond it
// is what its own code costs; what the relay floor holds is what net/http costs on both sides.

// relayFloorHandler serves POST /relay (an OCI chat body, signed and sent to the simulator in OCIAI_ENDPOINT
// with the identity in OCIAI_*) and GET /health. The relay floor's child mode is -serve-gateway -relay; with
// hijack (-serve-gateway -relay -hijack) it relays on hijacked connections.
func relayFloorHandler(hijack bool) (http.Handler, error) {
	key, err := os.ReadFile(os.Getenv("OCIAI_KEY_FILE"))
	if err != nil {
		return nil, err
	}
	id, err := ocigenai.NewIdentity(ocigenai.Credentials{Tenancy: os.Getenv("OCIAI_TENANCY"), User: os.Getenv("OCIAI_USER"),
		Fingerprint: os.Getenv("OCIAI_FINGERPRINT"), PrivateKeyPEM: key})
	if err != nil {
		return nil, err
	}
	oci, err := ocigenai.NewPool(id.Keys, ocigenai.PoolOptions{}).Route("relay", ocigenai.Failover,
		ocigenai.TargetSpec{Model: "relay", Endpoint: os.Getenv("OCIAI_ENDPOINT")})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	serve := relay
	if hijack {
		serve = relayHijacked
	}
	mux.HandleFunc("POST /relay", func(w http.ResponseWriter, r *http.Request) { serve(w, r, oci) })
	return mux, nil
}

// openRelay sends the request's body to OCI as a stream under ctx; on failure it answers 502 and returns nil.
func openRelay(ctx context.Context, w http.ResponseWriter, r *http.Request, oci *ocigenai.Route) *ocigenai.Response {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil
	}
	res, err := oci.Stream(ctx, ocigenai.PathChat, func(int) ([]byte, error) { return body, nil }, 0)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return nil
	}
	return res
}

func relay(w http.ResponseWriter, r *http.Request, oci *ocigenai.Route) {
	res := openRelay(r.Context(), w, r, oci)
	if res == nil {
		return
	}
	defer res.Close()
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	f := w.(http.Flusher)
	f.Flush()
	var out bytes.Buffer
	for {
		data, err := res.Events.Next()
		if err != nil {
			return
		}
		out.Reset()
		out.WriteString("data: ")
		out.Write(data)
		out.WriteString("\n\n")
		if _, err := w.Write(out.Bytes()); err != nil {
			return
		}
		f.Flush()
	}
}

// relayHijacked is the relay floor without net/http's server while a stream is open: it takes the connection
// from the server (Hijack), writes the HTTP/1.1 answer and its chunks by hand on a goroutine of its own and lets
// the handler return, so the server's connection goroutine, its background read, its 4 KB reader, 4 KB writer and
// 2 KB chunking buffer are all gone while the stream waits. It measures what leaving net/http would save (bench
// -relay-hijack); the gateway does not do it: the connection cannot be kept alive afterwards (it would have to be
// handed back to a server of our own), HTTP/2 clients cannot be hijacked, and a client that goes away is noticed
// only when a write fails.
func relayHijacked(w http.ResponseWriter, r *http.Request, oci *ocigenai.Route) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context())) // the request's ends with the handler
	res := openRelay(ctx, w, r, oci)
	if res == nil {
		cancel()
		return
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		res.Close()
		cancel()
		return
	}
	go func() {
		defer cancel()
		defer res.Close()
		defer conn.Close()
		const head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
		if _, err := io.WriteString(conn, head); err != nil {
			return
		}
		var out []byte
		for {
			data, err := res.Events.Next()
			if err != nil {
				break
			}
			out = fmt.Appendf(out[:0], "%x\r\ndata: %s\n\n\r\n", len(data)+len("data: \n\n"), data)
			if _, err := conn.Write(out); err != nil {
				return
			}
		}
		_, _ = io.WriteString(conn, "0\r\n\r\n")
	}()
}

// viaRelay streams through a relay floor: the OCI body goes in, OCI's events come out.
type viaRelay struct{ g *viaGateway }

func (v viaRelay) chat(context.Context, string) error    { return nil } // the relay floor only streams
func (v viaRelay) embed(context.Context, []string) error { return nil }

func (v viaRelay) stream(ctx context.Context, prompt string, tr *trace) error {
	body := floorChatBody(prompt, true)
	if v.g.system != "" {
		m := &body.ChatRequest.Messages
		*m = append([]floorMessage{{Role: "SYSTEM", Content: []floorContent{{Type: "TEXT", Text: v.g.system}}}}, *m...)
	}
	res, err := v.g.post(ctx, "/relay", body)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	return readEvents(res.Body, tr, ociTextKey)
}
