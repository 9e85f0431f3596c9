package gateway_test

import (
	"errors"
	"testing"

	"github.com/openai/openai-go/v3"

	"github.com/ociai/ociai-proxy/ocisim"
)

// max_retries reaches the OCI client: the default retries twice, 0 turns retrying off.
func TestMaxRetriesWired(t *testing.T) {
	apiKey := func(f *fixture) {
		for k, v := range map[string]string{"OCIAI_USER": f.id.User, "OCIAI_TENANCY": f.id.Tenancy, "OCIAI_FINGERPRINT": f.id.Fingerprint, "OCIAI_KEY_FILE": f.keyf, "OCIAI_REGION": "us-chicago-1"} {
			f.env[k] = v
		}
	}

	f := newFixture(t)
	apiKey(f)
	f.sim.Inject(ocisim.Fault{Status: 503, Count: 2})
	f.chat(t) // fails unless both 503s were retried
	if n := len(f.sim.Requests()); n != 3 {
		t.Fatalf("default max_retries: OCI saw %d requests, want 3", n)
	}

	f = newFixture(t)
	apiKey(f)
	f.env["OCIAI_MAX_RETRIES"] = "0"
	f.sim.Inject(ocisim.Fault{Status: 503})
	_, client := startGateway(t, f)
	_, err := send(client)
	var ae *openai.Error
	if !errors.As(err, &ae) || ae.StatusCode != 502 {
		t.Fatalf("got %v", err)
	}
	if n := len(f.sim.Requests()); n != 1 {
		t.Fatalf("max_retries 0: OCI saw %d requests, want 1", n)
	}
}
