package config

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestExampleDocumentsEverything keeps config.conf.example complete: every key
// as a (possibly commented) `key =` line and every env var appear in it, and
// every placeholder validation knows is really the example's.
func TestExampleDocumentsEverything(t *testing.T) {
	data, err := os.ReadFile("../config.conf.example")
	if err != nil {
		t.Fatal(err)
	}
	ex := string(data)
	for _, s := range settings {
		if !s.envOnly && !regexp.MustCompile(`(?m)^#? ?`+regexp.QuoteMeta(s.key)+` = `).MatchString(ex) {
			t.Errorf("config.conf.example lacks a `%s = ` line", s.key)
		}
		if !strings.Contains(ex, envName(s.key)) {
			t.Errorf("config.conf.example does not mention %s", envName(s.key))
		}
	}
	for _, s := range []string{"[DEFAULT]", "[MODELS]", "[API_KEYS]", envRPVersion, envRPRegion, autoKeyPlaceholder,
		"GENERIC", "COHEREV2", "EMBED", "ocid1.generativeaiendpoint", "security_token_file",
		string(AuthAPIKey), string(AuthConfigFile), string(AuthInstancePrincipal), string(AuthResourcePrincipal)} {
		if !strings.Contains(ex, s) {
			t.Errorf("config.conf.example does not mention %s", s)
		}
	}
	for _, p := range examplePlaceholders {
		if !strings.Contains(ex, p) {
			t.Errorf("placeholder %q is not in config.conf.example", p)
		}
	}
}

func TestSettingsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range settings {
		if seen[s.key] || s.key != strings.ToLower(s.key) || strings.ContainsAny(s.key, " -") {
			t.Errorf("bad or duplicate key %q", s.key)
		}
		seen[s.key] = true
	}
	if envName(keyKeyFile) != "OCIAI_KEY_FILE" || envName(keyOCIConfigFile) != "OCIAI_OCI_CONFIG_FILE" {
		t.Error("envName")
	}
}
