package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// setting is one configuration value. Every setting can be given as the env var
// OCIAI_<UPPER KEY>; file settings also as `key` in [DEFAULT]. This table is the
// single list of names (a test checks config.conf.example documents all of them).
type setting struct {
	key     string
	envOnly bool // no [DEFAULT] key: OCIAI_PRIVATE_KEY, OCIAI_MODELS, OCIAI_API_KEYS, OCIAI_ENDPOINTS
	secret  bool // never echoed in messages or logs
}

// Keys of the settings table.
const (
	keyAuth              = "auth"
	keyUser              = "user"
	keyFingerprint       = "fingerprint"
	keyKeyFile           = "key_file"
	keyTenancy           = "tenancy"
	keyRegion            = "region"
	keyPassPhrase        = "pass_phrase"
	keyPrivateKey        = "private_key"
	keyOCIConfigFile     = "oci_config_file"
	keyProfile           = "profile"
	keyCompartmentID     = "compartment_id"
	keyEndpoint          = "endpoint"
	keyAPIKey            = "api_key"
	keyAPIKeys           = "api_keys"
	keyAuthViaGateway    = "auth_via_gateway"
	keyForceNonStream    = "force_non_stream"
	keyDefaultMaxTokens  = "default_max_tokens"
	keyModels            = "models"
	keyEndpoints         = "endpoints"
	keyStrategy          = "strategy"
	keyCORSOrigins       = "cors_origins"
	keyMaxBodyBytes      = "max_body_bytes"
	keyRequestTimeout    = "request_timeout"
	keyStreamIdleTimeout = "stream_idle_timeout"
	keyLogLevel          = "log_level"
	keyLogPrompts        = "log_prompts"
	keyMaxRetries        = "max_retries"
	keyMaxConcurrent     = "max_concurrent_per_key"
	keyMetrics           = "metrics"
	keySecretOCID        = "api_key_secret_ocid"
	keySecretRefresh     = "api_key_secret_refresh"
	keySecretsEndpoint   = "secrets_endpoint"
	keyMaxEmbedInputs    = "max_embedding_inputs"
	keyMetricsListen     = "metrics_listen"
	keyMetricsKey        = "metrics_key"
	keyBodyIdleTimeout   = "body_idle_timeout"
	keyBodyReadTimeout   = "body_read_timeout"
)

var settings = []setting{
	{key: keyAuth},
	{key: keyUser},
	{key: keyFingerprint},
	{key: keyKeyFile},
	{key: keyTenancy},
	{key: keyRegion},
	{key: keyPassPhrase, secret: true},
	{key: keyPrivateKey, envOnly: true, secret: true},
	{key: keyOCIConfigFile},
	{key: keyProfile},
	{key: keyCompartmentID},
	{key: keyEndpoint},
	{key: keyAPIKey, secret: true},
	{key: keyAPIKeys, envOnly: true, secret: true},
	{key: keyAuthViaGateway},
	{key: keyForceNonStream},
	{key: keyDefaultMaxTokens},
	{key: keyModels, envOnly: true},
	{key: keyEndpoints, envOnly: true},
	{key: keyStrategy},
	{key: keyCORSOrigins},
	{key: keyMaxBodyBytes},
	{key: keyRequestTimeout},
	{key: keyStreamIdleTimeout},
	{key: keyLogLevel},
	{key: keyLogPrompts},
	{key: keyMaxRetries},
	{key: keyMaxConcurrent},
	{key: keyMetrics},
	{key: keySecretOCID},
	{key: keySecretRefresh},
	{key: keySecretsEndpoint},
	{key: keyMaxEmbedInputs},
	{key: keyMetricsListen},
	{key: keyMetricsKey, secret: true},
	{key: keyBodyIdleTimeout},
	{key: keyBodyReadTimeout},
}

// Environment read besides the OCIAI_* table.
const (
	envRPVersion = "OCI_RESOURCE_PRINCIPAL_VERSION" // set by OCI Functions: default auth resource_principal
	envRPRegion  = "OCI_RESOURCE_PRINCIPAL_REGION"  // set by OCI Functions: default region for resource_principal
	envHome      = "HOME"                           // ~ expansion
)

func envName(key string) string { return "OCIAI_" + strings.ToUpper(key) }

func lookupSetting(key string) (setting, bool) {
	for _, s := range settings {
		if s.key == key {
			return s, true
		}
	}
	return setting{}, false
}

// parseBool accepts the usual spellings; the file is hand-edited.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true", "y", "yes", "on":
		return true, nil
	case "0", "f", "false", "n", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean (use true or false)", s)
}

// parseDuration accepts a Go duration ("90s", "5m") or plain seconds ("300").
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		if !(n > 0 && n <= 1e9) { // also rejects NaN/Inf before the conversion
			return 0, fmt.Errorf("%q must be positive seconds", s)
		}
		d = time.Duration(n * float64(time.Second))
	} else if d, err = time.ParseDuration(s); err != nil {
		return 0, fmt.Errorf("%q is not a duration (use seconds like 300 or a Go duration like 5m)", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q must be positive", s)
	}
	return d, nil
}

// parseSize accepts bytes ("10485760") or a binary suffix KiB/MiB/GiB ("10MiB").
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suf string
		m   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if len(t) > len(u.suf) && strings.EqualFold(t[len(t)-len(u.suf):], u.suf) {
			t, mult = strings.TrimSpace(t[:len(t)-len(u.suf)]), u.m
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a positive size (use bytes like 10485760 or 10MiB)", s)
	}
	return n * mult, nil
}

// splitList splits a comma list, trimming blanks and dropping empty items.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// pair is one `name = value` entry of [MODELS]/[API_KEYS] or their env forms.
type pair struct {
	name, value string
	src         source
}

// parsePairs parses OCIAI_MODELS / OCIAI_API_KEYS / OCIAI_ENDPOINTS: `name=value,name2=value2`. With lists
// (OCIAI_MODELS, whose values are comma lists of targets) an item without '=' continues the value before it:
// `grok-4=xai.grok-4@us-chicago-1,xai.grok-4@us-phoenix-1,llama=…`. Other entries without '=' are reported by
// position only, since they may be secrets.
func parsePairs(env, s string, lists bool) (pairs []pair, problems []string) {
	for i, item := range splitList(s) {
		name, value, ok := strings.Cut(item, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		switch {
		case !ok && lists && len(pairs) > 0:
			pairs[len(pairs)-1].value += "," + item
		case !ok || name == "":
			problems = append(problems, fmt.Sprintf("%s: entry %d is not name=value", env, i+1))
		default:
			pairs = append(pairs, pair{name: name, value: value, src: source{env: env}})
		}
	}
	return pairs, problems
}

// unescapePEM turns the literal two-character `\n` sequences that env files and
// consoles force on multi-line values back into newlines.
func unescapePEM(s string) string {
	s = strings.ReplaceAll(s, `\r\n`, "\n")
	s = strings.ReplaceAll(s, `\n`, "\n")
	return strings.TrimSpace(s) + "\n"
}
