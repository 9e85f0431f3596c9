package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedConf is the example config.conf of the original "OCI AI Proxy" README, written here from its documented
// content: inline comments after values, trailing spaces, no compartment_id, a placeholder api_key.
func seedConf(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/seed.conf")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// withCredentials fills the seed's identity placeholders in place, keeping every other byte (the trailing
// spaces after the fingerprint included); key_file stays ./your_private_key.pem.
func withCredentials(conf, user, fingerprint, tenancy string) string {
	r := strings.NewReplacer("ocid1.user.oc1..your_user_ocid", user, "your_key_fingerprint", fingerprint,
		"ocid1.tenancy.oc1..your_tenancy_ocid", tenancy)
	return r.Replace(conf)
}

func TestSeedConfigPlaceholdersNamed(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "config.conf"), seedConf(t), 0o600)
	_, err := Load(path, fakeEnv())
	if err == nil {
		t.Fatal("the seed's placeholders were accepted")
	}
	msg := err.Error()
	for _, want := range []string{`user (` + path + ` [DEFAULT]): "ocid1.user.oc1..your_user_ocid" is a placeholder`,
		`fingerprint (` + path + ` [DEFAULT]): "your_key_fingerprint" is a placeholder`,
		`tenancy (` + path + ` [DEFAULT]): "ocid1.tenancy.oc1..your_tenancy_ocid" is a placeholder`,
		`key_file (` + path + ` [DEFAULT]): cannot read key file: open ` + filepath.Join(dir, "your_private_key.pem")} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	// The values with inline comments are read as the seed meant them.
	for _, bad := range []string{"force_non_stream", "default_max_tokens", "api_key", "MODELS"} {
		if strings.Contains(msg, bad) {
			t.Errorf("error mentions %s:\n%s", bad, msg)
		}
	}
}

// TestSeedConfigKeyGeneratedInPlace: the seed's config with real credentials loads; the key is generated into
// the api_key line with every comment and space kept, byte for byte, and stays the same on the next start.
func TestSeedConfigKeyGeneratedInPlace(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "your_private_key.pem"), pkcs8PEM(), 0o600)
	conf := withCredentials(seedConf(t), tUser, tFingerprint, tTenancy)
	path := writeFile(t, filepath.Join(dir, "config.conf"), conf, 0o644)

	res := mustLoad(t, path, fakeEnv())
	key := res.GeneratedKey
	if len(key) != 32 {
		t.Fatalf("generated key %q", key)
	}
	saved, _ := os.ReadFile(path)
	want := strings.Replace(conf, "api_key = auto_generated_key  # 首次运行时自动生成", "api_key = "+key+"  # 首次运行时自动生成", 1)
	if string(saved) != want {
		t.Errorf("config rewritten as\n%q\nwant\n%q", saved, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v after saving a key", fi.Mode().Perm())
	}
	c := res.Config
	if c.ForceNonStream || c.DefaultMaxTokens != 4000 || c.CompartmentID != tTenancy || c.Region != "us-phoenix-1" ||
		c.Endpoint != "https://inference.generativeai.us-phoenix-1.oci.oraclecloud.com" || c.KeyFile != filepath.Join(dir, "your_private_key.pem") {
		t.Errorf("seed values misread: %v", c)
	}
	names := strings.Join(c.ModelNames(), ",")
	if m, _ := c.Model("grok-3"); names != "grok-4,grok-3,grok-3-mini,grok-3-fast,grok-3-mini-fast" || m.Targets[0].ID != "xai.grok-3" {
		t.Errorf("models %s, grok-3 = %v", names, m.Targets)
	}

	for restart := range 2 {
		again := mustLoad(t, path, fakeEnv())
		if again.GeneratedKey != "" || len(again.Config.APIKeys) != 1 || again.Config.APIKeys[0].Key != key {
			t.Fatalf("restart %d: generated %q, keys %v", restart, again.GeneratedKey, again.Config.APIKeys)
		}
		if after, _ := os.ReadFile(path); string(after) != want {
			t.Errorf("restart %d changed the file:\n%q", restart, after)
		}
	}
}
