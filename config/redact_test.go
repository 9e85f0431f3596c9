package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestNoSecretsInOutput(t *testing.T) {
	pemKey := pkcs1PEM()
	c := &Config{
		Auth: AuthAPIKey, User: tUser, Tenancy: tTenancy, Region: "us-chicago-1",
		PassPhrase: tPass, PrivateKey: pemKey,
		APIKeys:    []APIKey{{"default", tAPIKey}, {"alice", "alice-key-0123456789"}},
		Models:     []Model{{Name: "g", Targets: []Target{{ID: "xai.grok-4", Format: "GENERIC"}}}},
		MetricsKey: "metrics-key-0123456789",
	}
	secrets := []string{tPass, tAPIKey, "alice-key-0123456789", "BEGIN RSA", pemKey[40:80], "metrics-key-0123456789"}

	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("config", "config", c, "value", *c, "key", c.APIKeys[0])
	slog.New(slog.NewTextHandler(&logBuf, nil)).Info("config", "config", c)
	redactedJSON, err := json.Marshal(c.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	plainJSON, err := json.Marshal(map[string]any{"c": c, "v": *c, "k": c.APIKeys[0]})
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"String":      c.String(),
		"%v ptr":      fmt.Sprintf("%v", c),
		"%+v value":   fmt.Sprintf("%+v", *c),
		"%#v":         fmt.Sprintf("%#v", c),
		"%v apikeys":  fmt.Sprintf("%v %+v %#v", c.APIKeys, c.APIKeys, c.APIKeys),
		"%v loadres":  fmt.Sprintf("%v", LoadResult{Config: c}),
		"slog":        logBuf.String(),
		"Redacted":    string(redactedJSON),
		"json":        string(plainJSON),
		"%v redacted": fmt.Sprintf("%+v", c.Redacted()),
	}
	for name, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s leaks %q:\n%s", name, s, out)
			}
		}
	}
	for _, want := range []string{tUser, "alice", "xai.grok-4", "us-chicago-1"} {
		if !strings.Contains(outputs["slog"], want) || !strings.Contains(outputs["String"], want) || !strings.Contains(outputs["json"], want) {
			t.Errorf("log output lacks %q", want)
		}
	}
	if c.APIKeys[0].Key != tAPIKey || c.PassPhrase != tPass {
		t.Error("Redacted modified the original")
	}
	r := c.Redacted()
	if r.APIKeys[1].Name != "alice" || r.User != tUser || r.PrivateKey != "[redacted]" {
		t.Errorf("Redacted dropped non-secrets: %+v", r)
	}
}
