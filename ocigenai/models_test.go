package ocigenai_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/ocisim"
)

func TestControlEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"https://inference.generativeai.us-chicago-1.oci.oraclecloud.com":      "https://generativeai.us-chicago-1.oci.oraclecloud.com",
		"https://inference.generativeai.uk-gov-london-1.oci.oraclegovcloud.uk": "https://generativeai.uk-gov-london-1.oci.oraclegovcloud.uk",
		"http://127.0.0.1:8089":        "http://127.0.0.1:8089",
		"https://genai.internal:8443/": "https://genai.internal:8443",
	} {
		if got := ocigenai.ControlEndpoint(in); got != want {
			t.Errorf("ControlEndpoint(%q) = %q, want %q", in, got, want)
		}
	}
}

// simClient is a client for a simulator on loopback (which answers every OCI API the gateway uses, the
// control plane's ListModels and Vault's secrets included), signed by an identity the simulator knows.
func simClient(t *testing.T, opts ocisim.Options) (*ocisim.Simulator, *ocigenai.Client, ocisim.Identity) {
	t.Helper()
	id, err := ocisim.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	sim := ocisim.New(opts)
	sim.AddIdentity(id)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	ident, err := ocigenai.NewIdentity(ocigenai.Credentials{Tenancy: id.Tenancy, User: id.User, Fingerprint: id.Fingerprint, PrivateKeyPEM: id.PrivateKeyPEM})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ocigenai.New(srv.URL, ident.Keys)
	if err != nil {
		t.Fatal(err)
	}
	return sim, c, id
}

// TestListModels pages through the simulator's ListModels, signed like every call.
func TestListModels(t *testing.T) {
	_, c, id := simClient(t, ocisim.Options{Region: "us-phoenix-1", ModelsPageSize: 3})
	models, err := c.ListModels(context.Background(), id.Tenancy)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range models {
		names = append(names, m.DisplayName)
		if m.LifecycleState != "ACTIVE" || m.Vendor == "" || len(m.Capabilities) == 0 || m.ID == "" {
			t.Errorf("summary %+v", m)
		}
	}
	slices.Sort(names)
	if len(names) != 13 || !slices.Contains(names, "xai.grok-3-mini-fast") || slices.Contains(names, "meta.llama-3.3-70b-instruct") ||
		len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("us-phoenix-1 over pages of 3: %v", names)
	}

	_, c, id = simClient(t, ocisim.Options{NoModelInspect: true})
	_, err = c.ListModels(context.Background(), id.Tenancy)
	var oe *ocigenai.Error
	if !errors.As(err, &oe) || oe.Status != 404 || oe.Code != "NotAuthorizedOrNotFound" || oe.RequestID == "" {
		t.Errorf("without inspect generative-ai-model: %v", err)
	}
}
