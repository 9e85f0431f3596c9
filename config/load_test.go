package config

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoadFullFile(t *testing.T) {
	dir, _ := setup(t, "")
	writeFile(t, filepath.Join(dir, "keys", "enc.pem"), encryptedPEM(tPass), 0o600)
	conf := `; full configuration
[DEFAULT]
auth = API_KEY
user = ` + tUser + `
fingerprint = ` + tFingerprint + `
key_file = keys/enc.pem
tenancy = ` + tTenancy + `
region = uk-gov-london-1
pass_phrase = ` + tPass + `
compartment_id = ` + tCompartment + `
api_key = ` + tAPIKey + `
auth_via_gateway = no
force_non_stream = true
default_max_tokens = 1234
cors_origins = https://app.example.com, http://localhost:3000/
max_body_bytes = 2MiB
request_timeout = 90
stream_idle_timeout = 2m
log_level = WARNING
log_prompts = on
max_retries = 5
max_concurrent_per_key = 8
metrics = false
max_embedding_inputs = 500
metrics_listen = 127.0.0.1:9090
metrics_key = metrics-key-0123456789
body_idle_timeout = 5s
body_read_timeout = 1m

[MODELS]
grok-4 = xai.grok-4
llama-3.3 = meta.llama-3.3-70b-instruct
command-a = cohere.command-a-03-2025
vision = cohere.command-a-vision-07-2025
embed-v4 = cohere.embed-v4.0
my-ft = ocid1.generativeaiendpoint.oc1.uk-gov-london-1.amaaaaaatest cohere
raw = cohere.command-r-08-2024 COHEREV2

[API_KEYS]
alice = alice-key-0123456789
bob = bob-key-0123456789
`
	path := writeFile(t, filepath.Join(dir, "config.conf"), conf, 0o600)
	res := mustLoad(t, path, fakeEnv())
	if res.GeneratedKey != "" {
		t.Errorf("GeneratedKey = %q, want none", res.GeneratedKey)
	}
	c := res.Config
	want := &Config{
		Path: path, Auth: AuthAPIKey,
		User: tUser, Fingerprint: tFingerprint, KeyFile: filepath.Join(dir, "keys", "enc.pem"),
		Tenancy: tTenancy, Region: "uk-gov-london-1", PassPhrase: tPass,
		CompartmentID: tCompartment,
		Endpoint:      "https://inference.generativeai.uk-gov-london-1.oci.oraclegovcloud.uk",
		APIKeys: []APIKey{
			{"default", tAPIKey}, {"alice", "alice-key-0123456789"}, {"bob", "bob-key-0123456789"},
		},
		ForceNonStream: true, DefaultMaxTokens: 1234,
		Models: []Model{
			model("grok-4", "xai.grok-4", "GENERIC"),
			model("llama-3.3", "meta.llama-3.3-70b-instruct", "GENERIC"),
			model("command-a", "cohere.command-a-03-2025", "COHERE"),
			model("vision", "cohere.command-a-vision-07-2025", "COHEREV2"),
			model("embed-v4", "cohere.embed-v4.0", "EMBED"),
			{Name: "my-ft", Strategy: StrategyFailover, Targets: []Target{{ID: "ocid1.generativeaiendpoint.oc1.uk-gov-london-1.amaaaaaatest", Region: "uk-gov-london-1", Format: "COHERE", Dedicated: true}}},
			model("raw", "cohere.command-r-08-2024", "COHEREV2"),
		},
		Strategy:          StrategyFailover,
		CORSOrigins:       []string{"https://app.example.com", "http://localhost:3000"},
		MaxBodyBytes:      2 << 20,
		RequestTimeout:    90 * time.Second,
		StreamIdleTimeout: 2 * time.Minute,
		LogLevel:          "warn", LogPrompts: true,
		MaxRetries: 5, MaxConcurrentPerKey: 8, Metrics: false,
		MaxEmbeddingInputs: 500, MetricsListen: "127.0.0.1:9090", MetricsKey: "metrics-key-0123456789",
		BodyIdleTimeout: 5 * time.Second, BodyReadTimeout: time.Minute,
	}
	if diff := diffConfig(c, want); diff != "" {
		t.Error(diff)
	}
	if got := c.ModelNames(); !slices.Equal(got, []string{"grok-4", "llama-3.3", "command-a", "vision", "embed-v4", "my-ft", "raw"}) {
		t.Errorf("ModelNames = %v", got)
	}
	if m, ok := c.Model("my-ft"); !ok || !m.Targets[0].Dedicated {
		t.Errorf("Model(my-ft) = %+v, %v", m, ok)
	}
	if _, ok := c.Model("GROK-4"); ok {
		t.Error("Model lookup must be exact")
	}
}

// model is a one-target model in the default region of the test configs.
func model(name, id string, f Format) Model {
	return Model{Name: name, Strategy: StrategyFailover, Targets: []Target{{ID: id, Region: "uk-gov-london-1", Format: f}}}
}

// diffConfig compares field by field so a failure never prints secrets wholesale
// in a way that hides which field differs.
func diffConfig(got, want *Config) string {
	var d []string
	chk := func(name string, eq bool, g, w any) {
		if !eq {
			d = append(d, name+": got "+sprint(g)+", want "+sprint(w))
		}
	}
	chk("Path", got.Path == want.Path, got.Path, want.Path)
	chk("Auth", got.Auth == want.Auth, got.Auth, want.Auth)
	chk("User", got.User == want.User, got.User, want.User)
	chk("Fingerprint", got.Fingerprint == want.Fingerprint, got.Fingerprint, want.Fingerprint)
	chk("KeyFile", got.KeyFile == want.KeyFile, got.KeyFile, want.KeyFile)
	chk("Tenancy", got.Tenancy == want.Tenancy, got.Tenancy, want.Tenancy)
	chk("Region", got.Region == want.Region, got.Region, want.Region)
	chk("PassPhrase", got.PassPhrase == want.PassPhrase, got.PassPhrase, want.PassPhrase)
	chk("PrivateKey", got.PrivateKey == want.PrivateKey, len(got.PrivateKey), len(want.PrivateKey))
	chk("OCIConfigFile", got.OCIConfigFile == want.OCIConfigFile, got.OCIConfigFile, want.OCIConfigFile)
	chk("Profile", got.Profile == want.Profile, got.Profile, want.Profile)
	chk("CompartmentID", got.CompartmentID == want.CompartmentID, got.CompartmentID, want.CompartmentID)
	chk("Endpoint", got.Endpoint == want.Endpoint, got.Endpoint, want.Endpoint)
	chk("APIKeys", slices.Equal(got.APIKeys, want.APIKeys), len(got.APIKeys), len(want.APIKeys))
	chk("AuthViaGateway", got.AuthViaGateway == want.AuthViaGateway, got.AuthViaGateway, want.AuthViaGateway)
	chk("ForceNonStream", got.ForceNonStream == want.ForceNonStream, got.ForceNonStream, want.ForceNonStream)
	chk("DefaultMaxTokens", got.DefaultMaxTokens == want.DefaultMaxTokens, got.DefaultMaxTokens, want.DefaultMaxTokens)
	chk("Models", reflect.DeepEqual(got.Models, want.Models), got.Models, want.Models)
	chk("Endpoints", maps.Equal(got.Endpoints, want.Endpoints), got.Endpoints, want.Endpoints)
	chk("Strategy", got.Strategy == want.Strategy, got.Strategy, want.Strategy)
	chk("CORSOrigins", slices.Equal(got.CORSOrigins, want.CORSOrigins), got.CORSOrigins, want.CORSOrigins)
	chk("MaxBodyBytes", got.MaxBodyBytes == want.MaxBodyBytes, got.MaxBodyBytes, want.MaxBodyBytes)
	chk("RequestTimeout", got.RequestTimeout == want.RequestTimeout, got.RequestTimeout, want.RequestTimeout)
	chk("StreamIdleTimeout", got.StreamIdleTimeout == want.StreamIdleTimeout, got.StreamIdleTimeout, want.StreamIdleTimeout)
	chk("LogLevel", got.LogLevel == want.LogLevel, got.LogLevel, want.LogLevel)
	chk("LogPrompts", got.LogPrompts == want.LogPrompts, got.LogPrompts, want.LogPrompts)
	chk("MaxRetries", got.MaxRetries == want.MaxRetries, got.MaxRetries, want.MaxRetries)
	chk("MaxConcurrentPerKey", got.MaxConcurrentPerKey == want.MaxConcurrentPerKey, got.MaxConcurrentPerKey, want.MaxConcurrentPerKey)
	chk("Metrics", got.Metrics == want.Metrics, got.Metrics, want.Metrics)
	chk("MaxEmbeddingInputs", got.MaxEmbeddingInputs == want.MaxEmbeddingInputs, got.MaxEmbeddingInputs, want.MaxEmbeddingInputs)
	chk("MetricsListen", got.MetricsListen == want.MetricsListen, got.MetricsListen, want.MetricsListen)
	chk("MetricsKey", got.MetricsKey == want.MetricsKey, len(got.MetricsKey), len(want.MetricsKey))
	chk("BodyIdleTimeout", got.BodyIdleTimeout == want.BodyIdleTimeout, got.BodyIdleTimeout, want.BodyIdleTimeout)
	chk("BodyReadTimeout", got.BodyReadTimeout == want.BodyReadTimeout, got.BodyReadTimeout, want.BodyReadTimeout)
	return strings.Join(d, "\n")
}

func TestLoadDefaults(t *testing.T) {
	_, path := setup(t, validConf)
	c := mustLoad(t, path, fakeEnv()).Config
	if c.DefaultMaxTokens != 4000 || c.MaxBodyBytes != 10<<20 || c.RequestTimeout != 300*time.Second ||
		c.StreamIdleTimeout != 120*time.Second || c.LogLevel != "info" || c.LogPrompts || c.ForceNonStream ||
		c.AuthViaGateway || !slices.Equal(c.CORSOrigins, []string{"*"}) ||
		c.MaxRetries != 2 || c.MaxConcurrentPerKey != 0 || !c.Metrics || c.MetricsListen != "" || c.MetricsKey != "" || c.MaxEmbeddingInputs != 2048 ||
		c.BodyIdleTimeout != 30*time.Second || c.BodyReadTimeout != 120*time.Second {
		t.Errorf("defaults wrong: %v", c)
	}
	if c.CompartmentID != tTenancy {
		t.Errorf("CompartmentID = %q, want the tenancy", c.CompartmentID)
	}
	if c.Endpoint != "https://inference.generativeai.us-chicago-1.oci.oraclecloud.com" {
		t.Errorf("Endpoint = %q", c.Endpoint)
	}
}

func TestLoadEnvOnly(t *testing.T) {
	inline := strings.ReplaceAll(strings.TrimSpace(pkcs8PEM()), "\n", `\n`) // as a one-line env value
	env := fakeEnv(
		"OCIAI_USER", tUser,
		"OCIAI_FINGERPRINT", tFingerprint,
		"OCIAI_TENANCY", tTenancy,
		"OCIAI_REGION", "eu-frankfurt-2",
		"OCIAI_PRIVATE_KEY", inline,
		"OCIAI_MODELS", "grok-4=xai.grok-4, cmd=cohere.command-a-03-2025 generic,",
		"OCIAI_DEFAULT_MAX_TOKENS", "99",
	)
	for _, tc := range []struct{ name, path string }{
		{"explicit missing path", filepath.Join(t.TempDir(), "nope.conf")},
		{"default path absent", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.path == "" {
				t.Chdir(t.TempDir()) // no config.conf here
			}
			res := mustLoad(t, tc.path, env)
			c := res.Config
			if c.Path != "" || c.Auth != AuthAPIKey || c.KeyFile != "" || !strings.HasPrefix(c.PrivateKey, "-----BEGIN PRIVATE KEY-----\n") {
				t.Errorf("got path=%q auth=%q keyfile=%q", c.Path, c.Auth, c.KeyFile)
			}
			if c.Endpoint != "https://inference.generativeai.eu-frankfurt-2.oci.oraclecloud.eu" {
				t.Errorf("Endpoint = %q", c.Endpoint)
			}
			if len(c.Models) != 2 || c.Models[1].Targets[0].Format != "GENERIC" || c.DefaultMaxTokens != 99 {
				t.Errorf("models/knobs = %+v %d", c.Models, c.DefaultMaxTokens)
			}
			if len(res.GeneratedKey) != 32 || len(c.APIKeys) != 1 || c.APIKeys[0] != (APIKey{"default", res.GeneratedKey}) {
				t.Errorf("generated key %q, keys %v", res.GeneratedKey, c.APIKeys)
			}
			if tc.path != "" {
				if _, err := os.Stat(tc.path); !os.IsNotExist(err) {
					t.Errorf("env-only load must not create %s", tc.path)
				}
			} else if _, err := os.Stat(DefaultPath); !os.IsNotExist(err) {
				t.Errorf("env-only load must not create %s", DefaultPath)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.conf")
	_, err := Load(path, fakeEnv("OCIAI_REGION", "us-chicago-1"))
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "config.conf.example") {
		t.Fatalf("err = %v, want it to name %s and config.conf.example", err, path)
	}
	t.Chdir(t.TempDir())
	_, err = Load("", fakeEnv())
	if err == nil || !strings.Contains(err.Error(), "config.conf.example") {
		t.Fatalf("err = %v", err)
	}
}

func TestLoadDefaultPathInCwd(t *testing.T) {
	dir, _ := setup(t, validConf)
	t.Chdir(dir)
	c := mustLoad(t, "", fakeEnv()).Config
	if c.Path != DefaultPath || c.KeyFile != "key.pem" {
		t.Errorf("Path = %q KeyFile = %q", c.Path, c.KeyFile)
	}
}

func TestEnvOverridesFile(t *testing.T) {
	dir, path := setup(t, validConf)
	other := writeFile(t, filepath.Join(dir, "other.pem"), pkcs8Of(otherKey()), 0o600)
	env := fakeEnv(
		"OCIAI_REGION", "eu-frankfurt-1",
		"OCIAI_KEY_FILE", other,
		"OCIAI_API_KEY", "env-key-0123456789",
		"OCIAI_API_KEYS", "carol=carol-key-0123,dave=dave-key-0123",
		"OCIAI_MODELS", "only=meta.llama-3.3-70b-instruct",
		"OCIAI_LOG_LEVEL", "debug",
		"OCIAI_CORS_ORIGINS", "https://a.example",
		"OCIAI_REQUEST_TIMEOUT", "1m30s",
		"OCIAI_COMPARTMENT_ID", tTenancy,
		"OCIAI_ENDPOINT", "http://127.0.0.1:8089/",
		"OCIAI_LOG_PROMPTS", "1",
		"OCIAI_MAX_BODY_BYTES", "1000",
		"OCIAI_STREAM_IDLE_TIMEOUT", "5",
		"OCIAI_FORCE_NON_STREAM", "yes",
		"OCIAI_TENANCY", "ocid1.tenancy.oc1..aaaaaaaaother",
		"OCIAI_USER", "ocid1.user.oc1..aaaaaaaaother",
		"OCIAI_FINGERPRINT", fingerprintOf(otherKey()),
		"OCIAI_DEFAULT_MAX_TOKENS", "7",
		"OCIAI_AUTH", "api_key",
		"OCIAI_MAX_RETRIES", "0",
		"OCIAI_MAX_CONCURRENT_PER_KEY", "3",
		"OCIAI_METRICS", "off",
	)
	c := mustLoad(t, path, env).Config
	want := []APIKey{{"default", "env-key-0123456789"}, {"carol", "carol-key-0123"}, {"dave", "dave-key-0123"}}
	switch {
	case c.Region != "eu-frankfurt-1", c.KeyFile != other, !slices.Equal(c.APIKeys, want),
		len(c.Models) != 1 || c.Models[0].Name != "only", c.LogLevel != "debug",
		!slices.Equal(c.CORSOrigins, []string{"https://a.example"}), c.RequestTimeout != 90*time.Second,
		c.CompartmentID != tTenancy, c.Endpoint != "http://127.0.0.1:8089", !c.LogPrompts, c.MaxBodyBytes != 1000,
		c.StreamIdleTimeout != 5*time.Second, !c.ForceNonStream, c.Tenancy != "ocid1.tenancy.oc1..aaaaaaaaother",
		c.User != "ocid1.user.oc1..aaaaaaaaother", c.Fingerprint != fingerprintOf(otherKey()),
		c.DefaultMaxTokens != 7, c.MaxRetries != 0, c.MaxConcurrentPerKey != 3, c.Metrics:
		t.Errorf("env did not override: %v", c)
	}
}

func TestEnvReplacesBrokenSections(t *testing.T) {
	conf := strings.Replace(validConf, "embed = cohere.embed-v4.0", "embed = cohere.embed-v4.0 BOGUS\nembed = x", 1) + "alice = dup\n"
	_, path := setup(t, conf)
	if _, err := Load(path, fakeEnv()); err == nil {
		t.Fatal("broken sections must fail on their own")
	}
	c := mustLoad(t, path, fakeEnv("OCIAI_MODELS", "m=xai.grok-4", "OCIAI_API_KEYS", "k=key-0123456789")).Config
	if len(c.Models) != 1 || len(c.APIKeys) != 2 {
		t.Errorf("models %v keys %v", c.Models, c.APIKeys)
	}
}

func TestAPIKeysSection(t *testing.T) {
	for _, tc := range []struct {
		name, conf string
		env        []string
		want       []APIKey
		gateway    bool
	}{
		{"api_key plus section", validConf, nil, []APIKey{{"default", tAPIKey}, {"alice", "alice-key-0123456789"}}, false},
		{"section only, placeholder api_key", replaceLine(validConf, "api_key", "api_key = auto_generated_key"), nil,
			[]APIKey{{"alice", "alice-key-0123456789"}}, false},
		{"section only, no api_key", replaceLine(validConf, "api_key", ""), nil, []APIKey{{"alice", "alice-key-0123456789"}}, false},
		{"env replaces section", validConf, []string{"OCIAI_API_KEYS", "zed=zed-key-0123"},
			[]APIKey{{"default", tAPIKey}, {"zed", "zed-key-0123"}}, false},
		{"via gateway without keys", strings.Replace(replaceLine(validConf, "api_key", "auth_via_gateway = true"), "alice = alice-key-0123456789\n", "", 1),
			nil, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, path := setup(t, tc.conf)
			res := mustLoad(t, path, fakeEnv(tc.env...))
			if res.GeneratedKey != "" {
				t.Errorf("unexpected generated key")
			}
			if !slices.Equal(res.Config.APIKeys, tc.want) || res.Config.AuthViaGateway != tc.gateway {
				t.Errorf("APIKeys = %v gateway=%v", res.Config.APIKeys, res.Config.AuthViaGateway)
			}
			data, _ := os.ReadFile(path)
			if string(data) != tc.conf {
				t.Error("file changed although no key was generated")
			}
		})
	}
}

func TestResourcePrincipalDefault(t *testing.T) {
	env := fakeEnv(
		"OCI_RESOURCE_PRINCIPAL_VERSION", "2.2",
		"OCI_RESOURCE_PRINCIPAL_REGION", "us-ashburn-1",
		"OCIAI_MODELS", "grok=xai.grok-4",
		"OCIAI_API_KEY", tAPIKey,
	)
	c := mustLoad(t, filepath.Join(t.TempDir(), "absent.conf"), env).Config
	if c.Auth != AuthResourcePrincipal || c.Region != "us-ashburn-1" || c.CompartmentID != "" || c.User != "" ||
		c.Endpoint != "https://inference.generativeai.us-ashburn-1.oci.oraclecloud.com" {
		t.Errorf("got %v", c)
	}

	// An explicit auth wins over the platform hint.
	_, path := setup(t, replaceLine(validConf, "user", "auth = api_key\nuser = "+tUser))
	if c := mustLoad(t, path, fakeEnv("OCI_RESOURCE_PRINCIPAL_VERSION", "2.2")).Config; c.Auth != AuthAPIKey {
		t.Errorf("Auth = %s", c.Auth)
	}

	// Without a region anywhere the endpoint is left to the caller; compartment stays optional.
	c = mustLoad(t, "", fakeEnv("OCIAI_AUTH", "resource_principal", "OCIAI_MODELS", "g=xai.grok-4", "OCIAI_AUTH_VIA_GATEWAY", "true")).Config
	if c.Region != "" || c.Endpoint != "" || len(c.APIKeys) != 0 || !c.AuthViaGateway {
		t.Errorf("got %v", c)
	}
}

func TestInstancePrincipal(t *testing.T) {
	c := mustLoad(t, "", fakeEnv("OCIAI_AUTH", "instance_principal", "OCIAI_COMPARTMENT_ID", tCompartment,
		"OCIAI_MODELS", "g=xai.grok-4", "OCIAI_API_KEY", tAPIKey)).Config
	if c.Auth != AuthInstancePrincipal || c.Endpoint != "" || c.CompartmentID != tCompartment {
		t.Errorf("got %v", c)
	}
}

func TestConfigFileMode(t *testing.T) {
	home := t.TempDir()
	ociDir := filepath.Join(home, ".oci")
	writeFile(t, filepath.Join(ociDir, "api.pem"), pkcs1PEM(), 0o600)
	writeFile(t, filepath.Join(ociDir, "sessions", "S", "key.pem"), encryptedPEM("pw"), 0o600)
	writeFile(t, filepath.Join(ociDir, "sessions", "S", "token"), "eyJhbGciOi.fake.token", 0o600)
	ociConf := `[DEFAULT]
user=` + tUser + `
fingerprint=` + tFingerprint + `
key_file=~/.oci/api.pem
tenancy=` + tTenancy + `
region=us-phoenix-1

[SESSION]
fingerprint=` + tFingerprint + `
key_file=~/.oci/sessions/S/key.pem
pass_phrase=pw
tenancy=ocid1.tenancy.oc1..aaaaaaaasession
region=eu-frankfurt-1
security_token_file=~/.oci/sessions/S/token

[BROKEN]
security_token_file=~/.oci/sessions/S/missing-token
key_file=~/.oci/missing.pem
`
	writeFile(t, filepath.Join(ociDir, "config"), ociConf, 0o600)
	base := "[DEFAULT]\nauth = config_file\napi_key = " + tAPIKey + "\n[MODELS]\ng = xai.grok-4\n"

	t.Run("session profile", func(t *testing.T) {
		_, path := setup(t, strings.Replace(base, "auth = config_file\n", "auth = config_file\nprofile = SESSION\noci_config_file = ~/.oci/config\n", 1))
		c := mustLoad(t, path, fakeEnv("HOME", home)).Config
		if c.OCIConfigFile != filepath.Join(ociDir, "config") || c.Profile != "SESSION" || c.Region != "eu-frankfurt-1" ||
			c.Tenancy != "ocid1.tenancy.oc1..aaaaaaaasession" || c.CompartmentID != c.Tenancy ||
			c.Endpoint != "https://inference.generativeai.eu-frankfurt-1.oci.oraclecloud.com" || c.User != "" || c.KeyFile != "" {
			t.Errorf("got %v", c)
		}
	})
	t.Run("default file and profile, region override", func(t *testing.T) {
		_, path := setup(t, base)
		c := mustLoad(t, path, fakeEnv("HOME", home, "OCIAI_REGION", "us-chicago-1")).Config
		if c.OCIConfigFile != filepath.Join(ociDir, "config") || c.Profile != "DEFAULT" || c.Region != "us-chicago-1" || c.Tenancy != tTenancy {
			t.Errorf("got %v", c)
		}
	})
	for _, tc := range []struct {
		name string
		env  []string
		want []string
	}{
		{"missing profile", []string{"OCIAI_PROFILE", "NOPE"}, []string{"profile: no profile [NOPE]", "DEFAULT, SESSION, BROKEN"}},
		{"missing file", []string{"OCIAI_OCI_CONFIG_FILE", "/nonexistent/oci/config"}, []string{"oci_config_file (env OCIAI_OCI_CONFIG_FILE): cannot read the OCI config file", "oci setup config"}},
		{"broken profile", []string{"OCIAI_PROFILE", "BROKEN"}, []string{
			"profile [BROKEN] of " + filepath.Join(ociDir, "config") + ": security_token_file:",
			"key_file: cannot read key file",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, path := setup(t, base)
			_, err := Load(path, fakeEnv(append([]string{"HOME", home}, tc.env...)...))
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant %q", err, w)
				}
			}
		})
	}
}

func sprint(v any) string { return fmt.Sprintf("%v", v) }

func TestLoadRegions(t *testing.T) {
	const ded = "ocid1.generativeaiendpoint.oc1.phx.amaaaaaadedicated"
	conf := strings.Replace(validConf, "[MODELS]\n", `strategy = least-busy

[MODELS]
pool = xai.grok-4@us-chicago-1, xai.grok-4@us-phoenix-1, meta.llama-3.3-70b-instruct@xx-lab-1
pool.strategy = spread
mine = `+ded+` COHERE, cohere.command-a-03-2025@fra
`, 1) + `
[ENDPOINTS]
# a private endpoint, and a region the SDK does not know
PHX = https://genai.phx.private.example/
xx-lab-1 = http://127.0.0.1:9999
`
	_, path := setup(t, conf)
	c := mustLoad(t, path, fakeEnv()).Config
	wantEndpoints := map[string]string{"us-phoenix-1": "https://genai.phx.private.example", "xx-lab-1": "http://127.0.0.1:9999"}
	if !maps.Equal(c.Endpoints, wantEndpoints) || c.Strategy != StrategyLeastBusy {
		t.Errorf("endpoints %v, strategy %q", c.Endpoints, c.Strategy)
	}
	pool, _ := c.Model("pool")
	mine, _ := c.Model("mine")
	grok, _ := c.Model("grok-4")
	want := []Model{
		{Name: "pool", Strategy: StrategySpread, Targets: []Target{
			{ID: "xai.grok-4", Region: "us-chicago-1", Format: "GENERIC"},
			{ID: "xai.grok-4", Region: "us-phoenix-1", Format: "GENERIC"},
			{ID: "meta.llama-3.3-70b-instruct", Region: "xx-lab-1", Format: "GENERIC"}}},
		{Name: "mine", Strategy: StrategyLeastBusy, Targets: []Target{
			{ID: ded, Region: "us-phoenix-1", Format: "COHERE", Dedicated: true},
			{ID: "cohere.command-a-03-2025", Region: "eu-frankfurt-1", Format: "COHERE"}}},
		{Name: "grok-4", Strategy: StrategyLeastBusy, Targets: []Target{{ID: "xai.grok-4", Region: "us-chicago-1", Format: "GENERIC"}}},
	}
	if got := []Model{pool, mine, grok}; !reflect.DeepEqual(got, want) {
		t.Errorf("models\n got %+v\nwant %+v", got, want)
	}
	for region, ep := range map[string]string{
		"us-chicago-1":   "https://inference.generativeai.us-chicago-1.oci.oraclecloud.com",
		"us-phoenix-1":   "https://genai.phx.private.example",
		"xx-lab-1":       "http://127.0.0.1:9999",
		"eu-frankfurt-1": "https://inference.generativeai.eu-frankfurt-1.oci.oraclecloud.com",
	} {
		if got := c.EndpointFor(region); got != ep {
			t.Errorf("EndpointFor(%s) = %q, want %q", region, got, ep)
		}
	}

	// The same through the environment: a model's targets continue its comma list.
	c = mustLoad(t, path, fakeEnv(
		"OCIAI_MODELS", "pool=xai.grok-4@us-chicago-1,xai.grok-4@us-phoenix-1,pool.strategy=failover,llama=meta.llama-3.3-70b-instruct",
		"OCIAI_ENDPOINTS", "us-phoenix-1=http://127.0.0.1:1234",
		"OCIAI_STRATEGY", "spread")).Config
	pool, _ = c.Model("pool")
	llama, _ := c.Model("llama")
	if len(c.Models) != 2 || pool.Strategy != StrategyFailover || len(pool.Targets) != 2 || pool.Targets[1].Region != "us-phoenix-1" ||
		llama.Strategy != StrategySpread || c.EndpointFor("us-phoenix-1") != "http://127.0.0.1:1234" {
		t.Errorf("from env: %+v, endpoints %v", c.Models, c.Endpoints)
	}
}

// TestDefaultRegionEndpointFromEndpoints: [ENDPOINTS] may also give the default region's endpoint, and an unknown
// default region is then accepted (as with `endpoint`).
func TestDefaultRegionEndpointFromEndpoints(t *testing.T) {
	conf := replaceLine(validConf, "region", "region = xx-lab-1") + "[ENDPOINTS]\nxx-lab-1 = http://127.0.0.1:7\n"
	_, path := setup(t, conf)
	c := mustLoad(t, path, fakeEnv()).Config
	if c.Region != "xx-lab-1" || c.Endpoint != "http://127.0.0.1:7" || c.Models[0].Targets[0].Region != "xx-lab-1" {
		t.Errorf("region %q endpoint %q targets %+v", c.Region, c.Endpoint, c.Models[0].Targets)
	}
}
