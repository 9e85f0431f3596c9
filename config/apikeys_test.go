package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const tSecret = "ocid1.vaultsecret.oc1.iad.amaaaaaatestsecret"

func TestParseAPIKeys(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		want          []APIKey
		errs          []string // substrings of the error; none means success
	}{
		{name: "bare key", content: "sk-0123456789abcdef\n", want: []APIKey{{SecretKeyName, "sk-0123456789abcdef"}}},
		{name: "pairs by comma", content: "alice=key-a,bob=key-b", want: []APIKey{{"alice", "key-a"}, {"bob", "key-b"}}},
		{name: "pairs by line", content: "alice = key-a\r\n\nbob=key-b\n", want: []APIKey{{"alice", "key-a"}, {"bob", "key-b"}}},
		{name: "empty", content: " \n", errs: []string{"the secret holds no keys"}},
		{name: "entry without name", content: "alice=key-a\nkey-b", errs: []string{"the secret: entry 2 is not name=value"}},
		{name: "padding looks like a pair", content: "c2VjcmV0=", errs: []string{`the secret's entry 1 ("c2VjcmV0"): empty key`}},
		{name: "same key twice", content: "a=key-a,b=key-a", errs: []string{`the secret's entry 2 ("b"): same key as "a"`}},
		{name: "same name twice", content: "a=key-a,a=key-b", errs: []string{`the secret's entry 2 ("a"): name used more than once`}},
		{name: "placeholder", content: "a=<a long random string>", errs: []string{"the secret's entry 1", "placeholder"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAPIKeys(tc.content)
			if len(tc.errs) == 0 {
				if err != nil || !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("got %v, %v; want %v", got, err, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; keys %v", got)
			}
			for _, w := range tc.errs {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			for _, k := range []string{"key-a", "key-b", "c2VjcmV0="} {
				if strings.Contains(err.Error(), k) {
					t.Errorf("error %q shows the key %q", err, k)
				}
			}
		})
	}
}

// TestVaultSecretSettings: with a secret no key is generated or required (also under resource principal without
// a config file, as in Functions and containers), and the secret's own region is found from its OCID.
func TestVaultSecretSettings(t *testing.T) {
	base := []string{
		"OCI_RESOURCE_PRINCIPAL_VERSION", "2.2", "OCI_RESOURCE_PRINCIPAL_REGION", "us-chicago-1",
		"OCIAI_MODELS", "g=xai.grok-4", "OCIAI_API_KEY_SECRET_OCID", tSecret,
	}
	res := mustLoad(t, "", fakeEnv(base...))
	c := res.Config
	if res.GeneratedKey != "" || len(c.APIKeys) != 0 || c.APIKeySecretOCID != tSecret || c.APIKeySecretRegion != "us-ashburn-1" ||
		c.APIKeySecretRefresh != DefaultSecretRefresh || c.SecretsEndpoint != "" {
		t.Errorf("got %+v (generated %q)", c, res.GeneratedKey)
	}

	c = mustLoad(t, "", fakeEnv(append(base, "OCIAI_API_KEY_SECRET_REFRESH", "30", "OCIAI_SECRETS_ENDPOINT", "http://127.0.0.1:9/",
		"OCIAI_API_KEY", tAPIKey, "OCIAI_API_KEY_SECRET_OCID", "ocid1.vaultsecret.oc1..aaaaaaaanoregion")...)).Config
	if c.APIKeySecretRefresh != 30*time.Second || c.SecretsEndpoint != "http://127.0.0.1:9" || c.APIKeySecretRegion != "" ||
		len(c.APIKeys) != 1 || c.APIKeys[0].Name != "default" {
		t.Errorf("got %+v", c)
	}
	if !strings.Contains(c.LogValue().String(), "api_key_secret_ocid=ocid1.vaultsecret.oc1..aaaaaaaanoregion") {
		t.Errorf("log value lacks the secret OCID: %s", c.LogValue())
	}

	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"not a secret OCID", []string{"OCIAI_API_KEY_SECRET_OCID", tCompartment}, "api_key_secret_ocid (env OCIAI_API_KEY_SECRET_OCID): \"" + tCompartment + "\" is not an OCID starting with ocid1.vaultsecret."},
		{"refresh too short", []string{"OCIAI_API_KEY_SECRET_REFRESH", "2s"}, `api_key_secret_refresh (env OCIAI_API_KEY_SECRET_REFRESH): "2s" is too short; the least is 10s`},
		{"refresh not a duration", []string{"OCIAI_API_KEY_SECRET_REFRESH", "often"}, "api_key_secret_refresh (env OCIAI_API_KEY_SECRET_REFRESH): \"often\" is not a duration"},
		{"endpoint with path", []string{"OCIAI_SECRETS_ENDPOINT", "https://h.example/20190301"}, "secrets_endpoint (env OCIAI_SECRETS_ENDPOINT):"},
		{"secret beside auth_via_gateway", []string{"OCIAI_AUTH_VIA_GATEWAY", "true"}, "api_key_secret_ocid (env OCIAI_API_KEY_SECRET_OCID): not used, as auth_via_gateway = true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("", fakeEnv(append(append([]string{}, base...), tc.env...)...))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}

	// The refresh and endpoint settings alone are a mistake (a typo in the secret's key, most likely).
	_, err := Load("", fakeEnv("OCIAI_MODELS", "g=xai.grok-4", "OCIAI_AUTH", "resource_principal", "OCIAI_API_KEY", tAPIKey,
		"OCIAI_API_KEY_SECRET_REFRESH", "1m", "OCIAI_SECRETS_ENDPOINT", "https://h.example"))
	for _, w := range []string{"api_key_secret_refresh (env OCIAI_API_KEY_SECRET_REFRESH): set without api_key_secret_ocid",
		"secrets_endpoint (env OCIAI_SECRETS_ENDPOINT): set without api_key_secret_ocid"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v, want %q", err, w)
		}
	}
}
