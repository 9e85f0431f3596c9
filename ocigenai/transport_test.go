package ocigenai

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/ociai/ociai-proxy/ocisim"
)

// OCI's endpoints are HTTPS. Against a TLS endpoint that offers HTTP/2 the client speaks it, and a signed stream
// (the signature covers host and content-length, which HTTP/2 carries differently) passes the simulator's check.
func TestHTTP2OverTLS(t *testing.T) {
	id, err := ocisim.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	sim := ocisim.New(ocisim.Options{})
	sim.AddIdentity(id)
	var h2 atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor == 2 {
			h2.Add(1)
		}
		sim.ServeHTTP(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ident, err := NewIdentity(Credentials{Tenancy: id.Tenancy, User: id.User, Fingerprint: id.Fingerprint, PrivateKeyPEM: id.PrivateKeyPEM})
	if err != nil {
		t.Fatal(err)
	}
	pool := NewPool(ident.Keys, PoolOptions{})
	t.Cleanup(pool.CloseIdleConnections)
	route, err := pool.Route("llama", Failover, TargetSpec{Model: "meta.llama-3.3-70b-instruct", Region: "us-chicago-1", Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	pool.clientFor(srv.URL).transport.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone() // trust the test certificate

	body := []byte(`{"compartmentId":"ocid1.compartment.oc1..x","servingMode":{"servingType":"ON_DEMAND","modelId":"meta.llama-3.3-70b-instruct"},` +
		`"chatRequest":{"apiFormat":"GENERIC","isStream":true,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"Hi there"}]}]}}`)
	res, err := route.Stream(context.Background(), PathChat, func(int) ([]byte, error) { return body, nil }, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	events := 0
	for {
		_, err := res.Events.Next()
		if errors.Is(err, ErrDone) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		events++
	}
	if events < 3 || h2.Load() != 1 {
		t.Errorf("%d events, %d requests over HTTP/2 (want 1)", events, h2.Load())
	}
}
