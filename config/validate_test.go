package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidationErrors checks each problem's message, naming the key and where
// it was set.
func TestValidationErrors(t *testing.T) {
	const file = "config.conf [DEFAULT]"
	for _, tc := range []struct {
		name string
		conf string   // config file content (validConf when empty)
		env  []string // fake environment
		keys map[string]string
		want []string
	}{
		{name: "missing user", conf: replaceLine(validConf, "user", ""),
			want: []string{"user: missing (required for auth = api_key); set user in [DEFAULT] of", "or env OCIAI_USER"}},
		{name: "missing everything api_key needs", conf: "[MODELS]\na = xai.grok-4\n[API_KEYS]\nk = key-0123456789\n",
			want: []string{"user: missing", "fingerprint: missing", "tenancy: missing", "region: missing", "key_file: missing", "OCIAI_PRIVATE_KEY"}},
		{name: "user prefix", env: []string{"OCIAI_USER", tTenancy},
			want: []string{`user (env OCIAI_USER): "` + tTenancy + `" is not an OCID starting with ocid1.user.`}},
		{name: "tenancy prefix", conf: replaceLine(validConf, "tenancy", "tenancy = "+tCompartment),
			want: []string{"tenancy (" + file + "): ", "is not an OCID starting with ocid1.tenancy."}},
		{name: "truncated ocid", env: []string{"OCIAI_TENANCY", "ocid1.tenancy."}, want: []string{"tenancy (env OCIAI_TENANCY): \"ocid1.tenancy.\" is not an OCID"}},
		{name: "compartment prefix", env: []string{"OCIAI_COMPARTMENT_ID", tUser},
			want: []string{"compartment_id (env OCIAI_COMPARTMENT_ID):", "ocid1.compartment. or ocid1.tenancy."}},
		{name: "fingerprint format", conf: replaceLine(validConf, "fingerprint", "fingerprint = aa:bb:cc"),
			want: []string{"fingerprint (" + file + "): \"aa:bb:cc\" is not a key fingerprint"}},
		{name: "key file unreadable", env: []string{"OCIAI_KEY_FILE", "/nonexistent/key.pem"},
			want: []string{"key_file (env OCIAI_KEY_FILE): cannot read key file", "/nonexistent/key.pem"}},
		{name: "key file not pem", keys: map[string]string{"key.pem": "hello"},
			want: []string{"key_file (" + file + "): key file", "not a PEM private key"}},
		{name: "key file is public key", keys: map[string]string{"key.pem": publicPEM()},
			want: []string{`PEM block is "PUBLIC KEY", not a private key`}},
		{name: "fingerprint of another key", env: []string{"OCIAI_FINGERPRINT", fingerprintOf(otherKey())},
			want: []string{"fingerprint (env OCIAI_FINGERPRINT): " + fingerprintOf(otherKey()) + " does not match key_file key.pem, whose fingerprint is " + tFingerprint + ": use the fingerprint the console shows for that key"}},
		{name: "fingerprint of another inline key", env: []string{"OCIAI_PRIVATE_KEY", pkcs8Of(otherKey())},
			want: []string{"fingerprint (" + file + "): " + tFingerprint + " does not match the key in env OCIAI_PRIVATE_KEY, whose fingerprint is " + fingerprintOf(otherKey())}},
		{name: "ec key from openssl ecparam", keys: map[string]string{"key.pem": ecParamsPEM()},
			want: []string{"key_file (" + file + "): key file key.pem: this is an EC (ECDSA) key; OCI API keys must be RSA"}},
		{name: "ec key pkcs8", keys: map[string]string{"key.pem": pkcs8Of(ecKey())},
			want: []string{"key file key.pem: this is an EC (ECDSA) key; OCI API keys must be RSA"}},
		{name: "ed25519 key", keys: map[string]string{"key.pem": pkcs8Of(ed25519Key())},
			want: []string{"key file key.pem: this is an Ed25519 key; OCI API keys must be RSA"}},
		{name: "openssh key", keys: map[string]string{"key.pem": "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"},
			want: []string{"key file key.pem: this is an OpenSSH key; OCI API keys must be RSA"}},
		{name: "key file is a directory", keys: map[string]string{"key.pem/x": "x"},
			want: []string{"is not a PEM key file"}},
		{name: "encrypted key without pass phrase", keys: map[string]string{"key.pem": encryptedPEM(tPass)},
			want: []string{"key_file (" + file + "): key file", "the private key is encrypted but no pass_phrase is set", "set pass_phrase in [DEFAULT]", "OCIAI_PASS_PHRASE"}},
		{name: "encrypted pkcs8 without pass phrase", keys: map[string]string{"key.pem": "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"},
			want: []string{"the private key is encrypted but no pass_phrase is set"}},
		{name: "encrypted key wrong pass phrase", keys: map[string]string{"key.pem": encryptedPEM(tPass)}, env: []string{"OCIAI_PASS_PHRASE", "wrong"},
			want: []string{"cannot decrypt the private key with pass_phrase"}},
		{name: "inline key broken", env: []string{"OCIAI_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n-----END RSA PRIVATE KEY-----"},
			want: []string{"private_key (env OCIAI_PRIVATE_KEY): not a usable RSA private key"}},
		{name: "unknown region", conf: replaceLine(validConf, "region", "region = us-chicagoo-1"),
			want: []string{`region (` + file + `): unknown region "us-chicagoo-1"`, "set endpoint explicitly"}},
		{name: "endpoint with path", env: []string{"OCIAI_ENDPOINT", "https://example.com/20231130"},
			want: []string{`endpoint (env OCIAI_ENDPOINT): "https://example.com/20231130" must be just scheme://host[:port]`}},
		{name: "endpoint not a URL", env: []string{"OCIAI_ENDPOINT", "inference.example.com"},
			want: []string{`endpoint (env OCIAI_ENDPOINT): "inference.example.com" is not an http(s)://host[:port] URL`}},
		{name: "endpoint query", env: []string{"OCIAI_ENDPOINT", "https://h.example?x=1"}, want: []string{"without path, query or user info"}},
		{name: "endpoint bad port", env: []string{"OCIAI_ENDPOINT", "https://h.example:x"}, want: []string{"OCIAI_ENDPOINT"}},
		{name: "empty models", conf: strings.Replace(validConf, "grok-4 = xai.grok-4\ncommand-a = cohere.command-a-03-2025\nembed = cohere.embed-v4.0\n", "", 1),
			want: []string{"models: none configured; add a [MODELS] section", "or set env OCIAI_MODELS"}},
		{name: "duplicate model", conf: strings.Replace(validConf, "embed = cohere.embed-v4.0", "embed = cohere.embed-v4.0\ngrok-4 = xai.grok-3", 1),
			want: []string{`model "grok-4" (config.conf [MODELS]): defined more than once`}},
		{name: "duplicate model in env", env: []string{"OCIAI_MODELS", "a=xai.grok-4,a=xai.grok-3"},
			want: []string{`model "a" (env OCIAI_MODELS): defined more than once`}},
		{name: "env model without =", env: []string{"OCIAI_MODELS", "oops,a=xai.grok-4"}, want: []string{"OCIAI_MODELS: entry 1 is not name=value"}},
		{name: "unknown format", conf: strings.Replace(validConf, "grok-4 = xai.grok-4", "grok-4 = xai.grok-4 OPENAI", 1),
			want: []string{`model "grok-4" (config.conf [MODELS]): unknown format "OPENAI" (use GENERIC, COHERE, COHEREV2 or EMBED)`}},
		{name: "model id missing", conf: strings.Replace(validConf, "grok-4 = xai.grok-4", "grok-4 =", 1),
			want: []string{`model "grok-4" (config.conf [MODELS]): no OCI model id`}},
		{name: "model too many words", conf: strings.Replace(validConf, "grok-4 = xai.grok-4", "grok-4 = xai.grok-4 GENERIC fast # a comment", 1),
			want: []string{`model "grok-4" (config.conf [MODELS]): "xai.grok-4 GENERIC fast" has 3 words`}},
		{name: "target too many words", conf: strings.Replace(validConf, "grok-4 = xai.grok-4", "grok-4 = xai.grok-4, xai.grok-4@us-phoenix-1 GENERIC fast", 1),
			want: []string{`model "grok-4" (config.conf [MODELS]): "xai.grok-4@us-phoenix-1 GENERIC fast" has 3 words`}},
		{name: "dedicated endpoint with another @region", conf: strings.Replace(validConf, "grok-4 = xai.grok-4", "grok-4 = ocid1.generativeaiendpoint.oc1.eu-frankfurt-1.amaaaaaa@us-chicago-1", 1),
			want: []string{`model "grok-4" (config.conf [MODELS]): the dedicated endpoint ocid1.generativeaiendpoint.oc1.eu-frankfurt-1.amaaaaaa is in eu-frankfurt-1, not us-chicago-1`}},
		{name: "unknown target region", conf: strings.Replace(validConf, "grok-4 = xai.grok-4", "grok-4 = xai.grok-4, xai.grok-4@us-chicagoo-1", 1),
			want: []string{`model "grok-4" (config.conf [MODELS]): unknown region "us-chicagoo-1" in "xai.grok-4@us-chicagoo-1"`, "[ENDPOINTS]"}},
		{name: "same target twice", env: []string{"OCIAI_MODELS", "g=xai.grok-4@us-chicago-1,xai.grok-4@ord"},
			want: []string{`model "g" (env OCIAI_MODELS): lists xai.grok-4@us-chicago-1 more than once`}},
		{name: "embed mixed with chat", env: []string{"OCIAI_MODELS", "e=cohere.embed-v4.0,xai.grok-4"},
			want: []string{`model "e" (env OCIAI_MODELS): mixes EMBED and chat targets`}},
		{name: "embed models differ", env: []string{"OCIAI_MODELS", "e=cohere.embed-v4.0,cohere.embed-english-v3.0@us-phoenix-1"},
			want: []string{`model "e" (env OCIAI_MODELS): embedding targets must all be the same model`}},
		{name: "bad strategy", env: []string{"OCIAI_STRATEGY", "random"},
			want: []string{`strategy (env OCIAI_STRATEGY): "random" is not a strategy (use failover, spread or least-busy)`}},
		{name: "bad model strategy", conf: validConf + "[MODELS]\ngrok-4.strategy = fastest\n",
			want: []string{`grok-4.strategy (config.conf [MODELS]): "fastest" is not a strategy`}},
		{name: "strategy of no model", env: []string{"OCIAI_MODELS", "g=xai.grok-4,h.strategy=spread"},
			want: []string{`h.strategy (env OCIAI_MODELS): no model "h" to apply it to`}},
		{name: "strategy twice", env: []string{"OCIAI_MODELS", "g=xai.grok-4,g.strategy=spread,g.strategy=failover"},
			want: []string{`g.strategy (env OCIAI_MODELS): set more than once`}},
		{name: "endpoints bad URL", conf: validConf + "[ENDPOINTS]\nus-phoenix-1 = inference.example.com\n",
			want: []string{`endpoint "us-phoenix-1" (config.conf [ENDPOINTS]): "inference.example.com" is not an http(s)://host[:port] URL`}},
		{name: "endpoints region twice", env: []string{"OCIAI_ENDPOINTS", "us-phoenix-1=http://a.example,phx=http://b.example"},
			want: []string{`endpoint "phx" (env OCIAI_ENDPOINTS): region us-phoenix-1 given more than once`}},
		{name: "endpoint and endpoints disagree", env: []string{"OCIAI_ENDPOINT", "http://a.example", "OCIAI_ENDPOINTS", "us-chicago-1=http://b.example"},
			want: []string{`endpoint (env OCIAI_ENDPOINT): "http://a.example", but [ENDPOINTS] gives "http://b.example" for the same region us-chicago-1`}},
		{name: "default_max_tokens zero", env: []string{"OCIAI_DEFAULT_MAX_TOKENS", "0"},
			want: []string{`default_max_tokens (env OCIAI_DEFAULT_MAX_TOKENS): "0" is not a positive integer`}},
		{name: "default_max_tokens text", conf: replaceLine(validConf, "api_key", "api_key = x-0123456789\ndefault_max_tokens = lots"),
			want: []string{`default_max_tokens (` + file + `): "lots" is not a positive integer`}},
		{name: "bad request_timeout", env: []string{"OCIAI_REQUEST_TIMEOUT", "soon"},
			want: []string{`request_timeout (env OCIAI_REQUEST_TIMEOUT): "soon" is not a duration`}},
		{name: "negative stream_idle_timeout", env: []string{"OCIAI_STREAM_IDLE_TIMEOUT", "-5s"},
			want: []string{`stream_idle_timeout (env OCIAI_STREAM_IDLE_TIMEOUT): "-5s" must be positive`}},
		{name: "max_retries too high", env: []string{"OCIAI_MAX_RETRIES", "11"},
			want: []string{`max_retries (env OCIAI_MAX_RETRIES): "11" must be from 0 to 10`}},
		{name: "max_retries negative", env: []string{"OCIAI_MAX_RETRIES", "-1"},
			want: []string{`max_retries (env OCIAI_MAX_RETRIES): "-1" must be from 0 to 10`}},
		{name: "max_retries text", conf: replaceLine(validConf, "api_key", "api_key = x-0123456789\nmax_retries = many"),
			want: []string{`max_retries (` + file + `): "many" is not an integer from 0 to 10`}},
		{name: "max_concurrent_per_key negative", env: []string{"OCIAI_MAX_CONCURRENT_PER_KEY", "-2"},
			want: []string{`max_concurrent_per_key (env OCIAI_MAX_CONCURRENT_PER_KEY): "-2" must be 0 or more`}},
		{name: "max_concurrent_per_key text", env: []string{"OCIAI_MAX_CONCURRENT_PER_KEY", "1.5"},
			want: []string{`max_concurrent_per_key (env OCIAI_MAX_CONCURRENT_PER_KEY): "1.5" is not an integer >= 0`}},
		{name: "max_embedding_inputs zero", env: []string{"OCIAI_MAX_EMBEDDING_INPUTS", "0"},
			want: []string{`max_embedding_inputs (env OCIAI_MAX_EMBEDDING_INPUTS): "0" must be 1 or more`}},
		{name: "bad metrics_listen", env: []string{"OCIAI_METRICS_LISTEN", "9090"},
			want: []string{`metrics_listen (env OCIAI_METRICS_LISTEN): "9090" is not host:port (like 127.0.0.1:9090)`}},
		{name: "metrics_key placeholder", env: []string{"OCIAI_METRICS_KEY", "<a long random string>"},
			want: []string{`metrics_key (env OCIAI_METRICS_KEY): still the placeholder from config.conf.example`}},
		{name: "bad body_idle_timeout", env: []string{"OCIAI_BODY_IDLE_TIMEOUT", "0"},
			want: []string{`body_idle_timeout (env OCIAI_BODY_IDLE_TIMEOUT): "0" must be positive seconds`}},
		{name: "bad metrics", env: []string{"OCIAI_METRICS", "sometimes"},
			want: []string{`metrics (env OCIAI_METRICS): "sometimes" is not a boolean`}},
		{name: "bad max_body_bytes", env: []string{"OCIAI_MAX_BODY_BYTES", "10MB"},
			want: []string{`max_body_bytes (env OCIAI_MAX_BODY_BYTES): "10MB" is not a positive size`}},
		{name: "unknown auth", env: []string{"OCIAI_AUTH", "password"},
			want: []string{`auth (env OCIAI_AUTH): unknown mode "password" (use api_key, config_file, instance_principal or resource_principal)`}},
		{name: "bad bool", env: []string{"OCIAI_FORCE_NON_STREAM", "maybe"},
			want: []string{`force_non_stream (env OCIAI_FORCE_NON_STREAM): "maybe" is not a boolean`}},
		{name: "bad auth_via_gateway", env: []string{"OCIAI_AUTH_VIA_GATEWAY", "sure"}, want: []string{"auth_via_gateway (env OCIAI_AUTH_VIA_GATEWAY)"}},
		{name: "bad log level", env: []string{"OCIAI_LOG_LEVEL", "loud"},
			want: []string{`log_level (env OCIAI_LOG_LEVEL): "loud" is not debug, info, warn or error`}},
		{name: "bad cors origin", env: []string{"OCIAI_CORS_ORIGINS", "*, example.com"},
			want: []string{`cors_origins (env OCIAI_CORS_ORIGINS): "example.com" is not * or an origin`}},
		{name: "unknown key", conf: replaceLine(validConf, "api_key", "api_key = k-0123456789\nregoin = x"),
			want: []string{"regoin (" + file + "): unknown key"}},
		{name: "session token in default", conf: replaceLine(validConf, "api_key", "api_key = k-0123456789\nsecurity_token_file = x"),
			want: []string{"security_token_file (" + file + "): not supported here", "auth = config_file"}},
		{name: "duplicate key", conf: replaceLine(validConf, "api_key", "api_key = k-0123456789\nregion = us-ashburn-1"),
			want: []string{"region (" + file + "): set more than once"}},
		{name: "unknown section", conf: validConf + "[MODEL]\nx = y\n",
			want: []string{"config.conf: unknown section [MODEL] (expected [DEFAULT], [MODELS], [ENDPOINTS] or [API_KEYS])"}},
		{name: "malformed line", conf: strings.Replace(validConf, "[MODELS]\n", "[MODELS]\nsk-secret-line\n", 1),
			want: []string{"config.conf:11: not a `key = value` line"}},
		{name: "instance principal without compartment", env: []string{"OCIAI_AUTH", "instance_principal"},
			conf: strings.Replace(replaceLine(validConf, "tenancy", ""), "user =", "# user =", 1),
			want: []string{"compartment_id: missing (required for auth = instance_principal)", "OCIAI_COMPARTMENT_ID"}},
		{name: "duplicate api key name", conf: validConf + "default = other-0123456789\n",
			want: []string{`API key "default" (config.conf [API_KEYS]): name used more than once`}},
		{name: "api key name twice in section", conf: validConf + "alice = other-0123456789\n",
			want: []string{`API key "alice" (config.conf [API_KEYS]): defined more than once`}},
		{name: "same key twice", conf: validConf + "bob = alice-key-0123456789\n",
			want: []string{`API key "bob" (config.conf [API_KEYS]): same key as "alice"`}},
		{name: "api key with space", env: []string{"OCIAI_API_KEY", "two words"},
			want: []string{"api_key (env OCIAI_API_KEY): the key must not contain spaces or commas"}},
		{name: "empty key in section", conf: validConf + "carol =\n", want: []string{`API key "carol" (config.conf [API_KEYS]): empty key`}},
		{name: "placeholder in section", conf: validConf + "carol = <a long random string>\n", want: []string{`API key "carol" (config.conf [API_KEYS]): still a placeholder`}},
		{name: "placeholder compartment", env: []string{"OCIAI_COMPARTMENT_ID", "ocid1.compartment.oc1..<unique_ID>"},
			want: []string{`compartment_id (env OCIAI_COMPARTMENT_ID): "ocid1.compartment.oc1..<unique_ID>" is a placeholder from config.conf.example`}},
		{name: "placeholder xxxx", env: []string{"OCIAI_USER", "ocid1.user.oc1..aaaaaaaaxxxxxxxxxxxx"}, want: []string{"user (env OCIAI_USER):", "is a placeholder"}},
		{name: "placeholder dots", env: []string{"OCIAI_TENANCY", "ocid1.tenancy.oc1...."}, want: []string{"tenancy (env OCIAI_TENANCY):", "is a placeholder"}},
		{name: "placeholder pass phrase", env: []string{"OCIAI_PASS_PHRASE", "<your key pass phrase>"},
			want: []string{"pass_phrase (env OCIAI_PASS_PHRASE): still the placeholder from config.conf.example"}},
		{name: "placeholder endpoint model", conf: strings.Replace(validConf, "grok-4 = xai.grok-4", "my-ft = ocid1.generativeaiendpoint.oc1.us-chicago-1.<unique_ID> COHERE", 1),
			want: []string{`model "my-ft" (config.conf [MODELS]): "ocid1.generativeaiendpoint.oc1.us-chicago-1.<unique_ID>" is a placeholder`}},
		{name: "resource principal env-only without key", env: []string{"OCI_RESOURCE_PRINCIPAL_VERSION", "2.2", "OCIAI_MODELS", "g=xai.grok-4"}, conf: "-",
			want: []string{"api_key: missing (required with resource_principal", "OCIAI_API_KEY", "OCIAI_AUTH_VIA_GATEWAY=true"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conf := tc.conf
			if conf == "" {
				conf = validConf
			}
			dir, path := setup(t, conf)
			if conf == "-" {
				path = filepath.Join(dir, "absent.conf")
				os.Remove(filepath.Join(dir, "config.conf"))
			}
			for name, content := range tc.keys {
				os.Remove(filepath.Join(dir, "key.pem"))
				writeFile(t, filepath.Join(dir, name), content, 0o600)
			}
			res, err := Load(path, fakeEnv(tc.env...))
			if err == nil {
				t.Fatalf("no error; config %v", res.Config)
			}
			msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			for _, secret := range []string{tAPIKey, "alice-key-0123456789", tPass, "sk-secret-line", "two words", "AAAA"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error leaks secret %q:\n%s", secret, msg)
				}
			}
		})
	}
}

func TestAllProblemsTogether(t *testing.T) {
	_, path := setup(t, validConf)
	_, err := Load(path, fakeEnv("OCIAI_REGION", "nowhere-1", "OCIAI_FINGERPRINT", "zz", "OCIAI_LOG_LEVEL", "loud", "OCIAI_REQUEST_TIMEOUT", "x"))
	if err == nil {
		t.Fatal("want error")
	}
	lines := strings.Split(err.Error(), "\n")
	if !strings.Contains(lines[0], "4 problem(s)") || len(lines) != 5 {
		t.Errorf("want a header and 4 problem lines, got:\n%s", err)
	}
}

// TestLoadExampleAsIs: the shipped example must be rejected for its placeholders.
func TestLoadExampleAsIs(t *testing.T) {
	data, err := os.ReadFile("../config.conf.example")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "config.conf"), string(data), 0o600)
	_, err = Load(path, fakeEnv("HOME", dir))
	if err == nil {
		t.Fatal("the unedited example loaded")
	}
	for _, w := range []string{
		`user (` + path + ` [DEFAULT]): "ocid1.user.oc1..<unique_ID>" is a placeholder from config.conf.example`,
		`tenancy (` + path + ` [DEFAULT]): "ocid1.tenancy.oc1..<unique_ID>" is a placeholder`,
		`fingerprint (` + path + ` [DEFAULT]): "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34" is a placeholder`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%s", w, err)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(data) {
		t.Error("the example was rewritten although invalid")
	}

	// With the placeholders filled in (and the default key file present) it loads.
	writeFile(t, filepath.Join(dir, ".oci", "oci_api_key.pem"), pkcs1PEM(), 0o600)
	filled := strings.NewReplacer(
		"ocid1.user.oc1..<unique_ID>", tUser,
		"ocid1.tenancy.oc1..<unique_ID>", tTenancy,
		"20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34", tFingerprint,
	).Replace(string(data))
	writeFile(t, path, filled, 0o644)
	res := mustLoad(t, path, fakeEnv("HOME", dir))
	if res.GeneratedKey == "" || len(res.Config.Models) != 9 || res.Config.Models[7].Targets[0].Format != "COHEREV2" || !res.Config.Models[8].Embed() {
		t.Errorf("example models/key: %v", res.Config)
	}
	if after, _ := os.ReadFile(path); !strings.Contains(string(after), "\napi_key = "+res.GeneratedKey+"\n") {
		t.Error("generated key not written into the example's api_key line")
	}
}

func TestKeyFormatsAccepted(t *testing.T) {
	for name, tc := range map[string]struct{ pem, pass string }{
		"pkcs1":               {pkcs1PEM(), ""},
		"pkcs8":               {pkcs8PEM(), ""},
		"encrypted with pass": {encryptedPEM(tPass), tPass},
		"plain with pass":     {pkcs1PEM(), tPass}, // harmless, as in the SDK
	} {
		if fp, msg := checkPrivateKey([]byte(tc.pem), tc.pass); msg != "" || fp != tFingerprint {
			t.Errorf("%s: %s (fingerprint %s, want %s)", name, msg, fp, tFingerprint)
		}
	}
}

func TestParsers(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "10485760": 10 << 20, "10MiB": 10 << 20, "64 kib": 64 << 10, "1GiB": 1 << 30, "0": -1, "x": -1, "-1": -1, "MiB": -1, "1e3": -1} {
		got, err := parseSize(in)
		if (err != nil) != (want < 0) || (err == nil && got != want) {
			t.Errorf("parseSize(%q) = %d, %v", in, got, err)
		}
	}
	for in, want := range map[string]int64{"300": 300e9, "1.5": 1.5e9, "90s": 90e9, "5m": 300e9, "0": -1, "NaN": -1, "Inf": -1, "-3": -1, "1d": -1, "": -1} {
		got, err := parseDuration(in)
		if (err != nil) != (want < 0) || (err == nil && int64(got) != want) {
			t.Errorf("parseDuration(%q) = %v, %v", in, got, err)
		}
	}
	for in, want := range map[string]int{"true": 1, "On": 1, "YES": 1, "1": 1, "false": 0, "off": 0, "no": 0, "0": 0, "": -1, "2": -1} {
		got, err := parseBool(in)
		if (err != nil) != (want < 0) || (err == nil && got != (want == 1)) {
			t.Errorf("parseBool(%q) = %v, %v", in, got, err)
		}
	}
}

func TestRegions(t *testing.T) {
	for _, tc := range []struct{ in, region, endpoint string }{
		{"us-chicago-1", "us-chicago-1", "https://inference.generativeai.us-chicago-1.oci.oraclecloud.com"},
		{" US-Ashburn-1 ", "us-ashburn-1", "https://inference.generativeai.us-ashburn-1.oci.oraclecloud.com"},
		{"fra", "eu-frankfurt-1", "https://inference.generativeai.eu-frankfurt-1.oci.oraclecloud.com"},
		{"uk-gov-london-1", "uk-gov-london-1", "https://inference.generativeai.uk-gov-london-1.oci.oraclegovcloud.uk"},
		{"eu-frankfurt-2", "eu-frankfurt-2", "https://inference.generativeai.eu-frankfurt-2.oci.oraclecloud.eu"},
		{"moon-base-1", "", ""},
	} {
		r, known := resolveRegion(tc.in)
		if known != (tc.region != "") || (known && (r != tc.region || regionEndpoint(r) != tc.endpoint)) {
			t.Errorf("%q: region %q known=%v endpoint %q", tc.in, r, known, regionEndpoint(r))
		}
	}
	// An explicit endpoint lets an unknown region through unchanged.
	_, path := setup(t, replaceLine(validConf, "region", "region = moon-base-1"))
	c := mustLoad(t, path, fakeEnv("OCIAI_ENDPOINT", "https://genai.internal:8443")).Config
	if c.Region != "moon-base-1" || c.Endpoint != "https://genai.internal:8443" {
		t.Errorf("Region %q Endpoint %q", c.Region, c.Endpoint)
	}
}
