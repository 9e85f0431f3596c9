package ocigenai_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/ocisim"
)

func TestSecretsEndpoint(t *testing.T) {
	for region, want := range map[string]string{
		"us-chicago-1":    "https://secrets.vaults.us-chicago-1.oci.oraclecloud.com",
		"fra":             "https://secrets.vaults.eu-frankfurt-1.oci.oraclecloud.com",
		"uk-gov-london-1": "https://secrets.vaults.uk-gov-london-1.oci.oraclegovcloud.uk",
		"":                "",
	} {
		if got := ocigenai.SecretsEndpoint(region); got != want {
			t.Errorf("SecretsEndpoint(%q) = %q, want %q", region, got, want)
		}
	}
}

// TestGetSecretBundle reads a secret from the simulator's Vault API, signed like every other call.
func TestGetSecretBundle(t *testing.T) {
	sim, c, _ := simClient(t, ocisim.Options{})
	c.SetRetryPolicy(ocigenai.RetryPolicy{MaxRetries: 1, BaseDelay: 1, MaxDelay: 1})
	ctx := context.Background()

	const secret = "ocid1.vaultsecret.oc1.us-chicago-1.amaaaaaasecret"
	sim.PutSecret(secret, []byte("alice=sk-1\nbob=sk-2"))
	sim.PutSecret(secret, []byte("carol=sk-3"))
	b, err := c.GetSecretBundle(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if b.SecretID != secret || b.VersionNumber != 2 || string(b.Content) != "carol=sk-3" || b.RequestID == "" {
		t.Errorf("bundle %+v (content %q)", b, b.Content)
	}

	_, err = c.GetSecretBundle(ctx, secret+"-missing")
	var oe *ocigenai.Error
	if !errors.As(err, &oe) || oe.Status != http.StatusNotFound || oe.Code != "NotAuthorizedOrNotFound" || oe.Attempts != 1 ||
		!strings.HasPrefix(err.Error(), "OCI Vault returned Not Found") {
		t.Errorf("missing secret: %v (%+v)", err, oe)
	}

	// A 503 is retried like any OCI call, then reported.
	sim.FailSecret(secret, http.StatusServiceUnavailable)
	_, err = c.GetSecretBundle(ctx, secret)
	if !errors.As(err, &oe) || oe.Status != http.StatusServiceUnavailable || oe.Attempts != 2 {
		t.Errorf("failing secret: %v", err)
	}
	reads := 0
	for _, r := range sim.Requests() {
		if strings.HasPrefix(r.Path, ocigenai.PathSecretBundles) {
			reads++
			if r.Header.Get("Authorization") == "" || r.Header.Get("Date") == "" {
				t.Errorf("unsigned read: %v", r.Header)
			}
		}
	}
	if reads != 4 {
		t.Errorf("simulator saw %d secret reads, want 4", reads)
	}
}
