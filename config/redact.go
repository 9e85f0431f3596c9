package config

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"strings"
)

const redacted = "[redacted]"

// Redacted returns a copy with every secret (pass phrase, inline private key,
// client API keys, metrics key) replaced by "[redacted]", safe to print or serialise.
func (c Config) Redacted() Config {
	r := c
	if r.PassPhrase != "" {
		r.PassPhrase = redacted
	}
	if r.PrivateKey != "" {
		r.PrivateKey = redacted
	}
	if r.MetricsKey != "" {
		r.MetricsKey = redacted
	}
	r.APIKeys = make([]APIKey, len(c.APIKeys))
	for i, k := range c.APIKeys {
		r.APIKeys[i] = APIKey{Name: k.Name, Key: redacted}
	}
	r.Models = make([]Model, len(c.Models))
	for i, m := range c.Models {
		r.Models[i] = m
		r.Models[i].Targets = append([]Target(nil), m.Targets...)
	}
	r.Endpoints = maps.Clone(c.Endpoints)
	r.CORSOrigins = append([]string(nil), c.CORSOrigins...)
	return r
}

// LogValue makes slog print the configuration without secrets.
func (c Config) LogValue() slog.Value {
	models := make([]string, len(c.Models))
	for i, m := range c.Models {
		targets := make([]string, len(m.Targets))
		for j, t := range m.Targets {
			targets[j] = t.String() + " " + string(t.Format)
		}
		models[i] = m.Name + "=" + strings.Join(targets, ", ")
		if len(m.Targets) > 1 {
			models[i] += " (" + string(m.Strategy) + ")"
		}
	}
	keys := make([]string, len(c.APIKeys))
	for i, k := range c.APIKeys {
		keys[i] = k.Name
	}
	attrs := []slog.Attr{
		slog.String("path", c.Path),
		slog.String("auth", string(c.Auth)),
	}
	add := func(k, v string) {
		if v != "" {
			attrs = append(attrs, slog.String(k, v))
		}
	}
	add("user", c.User)
	add("fingerprint", c.Fingerprint)
	add("key_file", c.KeyFile)
	if c.PrivateKey != "" {
		add("private_key", redacted)
	}
	if c.PassPhrase != "" {
		add("pass_phrase", redacted)
	}
	add("oci_config_file", c.OCIConfigFile)
	add("profile", c.Profile)
	add("tenancy", c.Tenancy)
	add("region", c.Region)
	add("compartment_id", c.CompartmentID)
	add("endpoint", c.Endpoint)
	add("api_key_secret_ocid", c.APIKeySecretOCID)
	if len(c.Endpoints) > 0 {
		attrs = append(attrs, slog.Any("endpoints", c.Endpoints))
	}
	attrs = append(attrs,
		slog.Any("api_keys", keys), // names only
		slog.Bool("auth_via_gateway", c.AuthViaGateway),
		slog.Bool("force_non_stream", c.ForceNonStream),
		slog.Int("default_max_tokens", c.DefaultMaxTokens),
		slog.Any("models", models),
		slog.String("strategy", string(c.Strategy)),
		slog.Any("cors_origins", c.CORSOrigins),
		slog.Int64("max_body_bytes", c.MaxBodyBytes),
		slog.Duration("request_timeout", c.RequestTimeout),
		slog.Duration("stream_idle_timeout", c.StreamIdleTimeout),
		slog.String("log_level", c.LogLevel),
		slog.Bool("log_prompts", c.LogPrompts),
		slog.Int("max_retries", c.MaxRetries),
		slog.Int("max_concurrent_per_key", c.MaxConcurrentPerKey),
		slog.Bool("metrics", c.Metrics),
		slog.Int("max_embedding_inputs", c.MaxEmbeddingInputs),
		slog.String("metrics_listen", c.MetricsListen),
		slog.Duration("body_idle_timeout", c.BodyIdleTimeout),
		slog.Duration("body_read_timeout", c.BodyReadTimeout),
	)
	if c.MetricsKey != "" {
		attrs = append(attrs, slog.String("metrics_key", redacted))
	}
	return slog.GroupValue(attrs...)
}

// String is a one-line summary without secrets (also used by %v and %+v).
func (c Config) String() string {
	var b strings.Builder
	b.WriteString("config{")
	for i, a := range c.LogValue().Group() {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%v", a.Key, a.Value)
	}
	b.WriteString("}")
	return b.String()
}

// GoString keeps %#v from dumping secrets.
func (c Config) GoString() string { return c.String() }

// MarshalJSON encodes the redacted copy, so a JSON dump has no secrets either.
func (c Config) MarshalJSON() ([]byte, error) {
	type plain Config // drops the methods: no recursion
	return json.Marshal(plain(c.Redacted()))
}

// MarshalJSON encodes the name only.
func (k APIKey) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ Name string }{k.Name})
}

// String shows the key's name only.
func (k APIKey) String() string { return "APIKey{" + k.Name + "}" }

// GoString keeps %#v from dumping the key.
func (k APIKey) GoString() string { return k.String() }

// LogValue logs the key's name only.
func (k APIKey) LogValue() slog.Value { return slog.StringValue(k.Name) }
