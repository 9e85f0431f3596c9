package config

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerate(t *testing.T) {
	a, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate()
	if _, err := hex.DecodeString(a); err != nil || len(a) != 32 || a == b {
		t.Errorf("Generate = %q, %q", a, b)
	}
}

func TestSetAPIKeyLine(t *testing.T) {
	const k = "NEWKEY"
	for _, tc := range []struct{ name, in, want string }{
		{"placeholder", "# c\n[DEFAULT]\napi_key = auto_generated_key\nregion = x\n", "# c\n[DEFAULT]\napi_key = NEWKEY\nregion = x\n"},
		{"empty value, odd spacing", "[DEFAULT]\n  API_KEY=\t\n[MODELS]\n", "[DEFAULT]\n  API_KEY=\tNEWKEY\n[MODELS]\n"},
		{"crlf", "[DEFAULT]\r\napi_key =\r\n[MODELS]\r\n", "[DEFAULT]\r\napi_key =NEWKEY\r\n[MODELS]\r\n"},
		{"absent, header", "# top\n[DEFAULT]\nregion = x\n[MODELS]\na = b\n", "# top\n[DEFAULT]\napi_key = NEWKEY\nregion = x\n[MODELS]\na = b\n"},
		{"absent, crlf header", "[DEFAULT]\r\nregion = x\r\n", "[DEFAULT]\r\napi_key = NEWKEY\r\nregion = x\r\n"},
		{"absent, no header", "region = x\n\n[MODELS]\na = b\n", "region = x\n\napi_key = NEWKEY\n[MODELS]\na = b\n"},
		{"absent, no sections, no final newline", "region = x", "region = x\napi_key = NEWKEY\n"},
		{"header without final newline", "[DEFAULT]", "[DEFAULT]\napi_key = NEWKEY\n"},
		{"only in other section", "[MODELS]\napi_key = m\n", "api_key = NEWKEY\n[MODELS]\napi_key = m\n"},
		{"commented line ignored", "[DEFAULT]\n# api_key = old\napi_keys_note = 1\n", "[DEFAULT]\napi_key = NEWKEY\n# api_key = old\napi_keys_note = 1\n"},
		{"bom", "\uFEFFapi_key = auto_generated_key\n", "\uFEFFapi_key = NEWKEY\n"},
		{"inline comment kept", "[DEFAULT]\napi_key = auto_generated_key  # 首次运行时自动生成\n", "[DEFAULT]\napi_key = NEWKEY  # 首次运行时自动生成\n"},
		{"empty value, comment", "[DEFAULT]\napi_key =   ; set on first start\r\n", "[DEFAULT]\napi_key =   NEWKEY ; set on first start\r\n"},
		{"quoted placeholder, comment", "api_key = \"auto_generated_key\"\t# c\n", "api_key = NEWKEY\t# c\n"},
		{"second default block", "[MODELS]\na = b\n[DEFAULT]\napi_key = \n", "[MODELS]\na = b\n[DEFAULT]\napi_key = NEWKEY\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(setAPIKeyLine([]byte(tc.in), k)); got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestKeyGenerationWritesBack(t *testing.T) {
	orig := strings.Replace(validConf, "api_key = "+tAPIKey, "  # the key clients use\napi_key   =   auto_generated_key", 1)
	orig = strings.Replace(orig, "[API_KEYS]\nalice = alice-key-0123456789\n", "; trailing comment\t\n\n", 1)
	for _, tc := range []struct {
		name     string
		conf     string
		linkPath bool
	}{
		{"placeholder line", orig, false},
		{"empty value", strings.Replace(orig, "auto_generated_key", "", 1), false},
		{"line absent", strings.Replace(orig, "api_key   =   auto_generated_key\n", "", 1), false},
		{"through a symlink", orig, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, path := setup(t, tc.conf)
			if err := os.Chmod(path, 0o644); err != nil { // group/world readable
				t.Fatal(err)
			}
			loadPath := path
			if tc.linkPath {
				loadPath = filepath.Join(dir, "link.conf")
				if err := os.Symlink(path, loadPath); err != nil {
					t.Skip(err)
				}
			}
			res := mustLoad(t, loadPath, fakeEnv())
			key := res.GeneratedKey
			if len(key) != 32 || len(res.Config.APIKeys) != 1 || res.Config.APIKeys[0] != (APIKey{"default", key}) {
				t.Fatalf("GeneratedKey %q, APIKeys %v", key, res.Config.APIKeys)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := string(setAPIKeyLine([]byte(tc.conf), key))
			if string(data) != want {
				t.Errorf("file:\n%s\nwant:\n%s", data, want)
			}
			// Everything but the one key line is byte-for-byte identical.
			gotLines, origLines := strings.Split(string(data), "\n"), strings.Split(tc.conf, "\n")
			changed := 0
			for _, l := range gotLines {
				if !contains(origLines, l) {
					changed++
					if !strings.Contains(l, key) {
						t.Errorf("unexpected new line %q", l)
					}
				}
			}
			if changed != 1 {
				t.Errorf("%d lines changed, want 1", changed)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", st.Mode().Perm())
			}
			if tc.linkPath {
				if fi, err := os.Lstat(loadPath); err != nil || fi.Mode()&os.ModeSymlink == 0 {
					t.Error("the symlink was replaced")
				}
			}
			leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
			if len(leftovers) > 0 {
				t.Errorf("temp files left: %v", leftovers)
			}

			again := mustLoad(t, loadPath, fakeEnv())
			if again.GeneratedKey != "" || again.Config.APIKeys[0].Key != key {
				t.Errorf("second load: generated %q, keys %v", again.GeneratedKey, again.Config.APIKeys)
			}
		})
	}
}

func contains(lines []string, l string) bool {
	for _, x := range lines {
		if x == l {
			return true
		}
	}
	return false
}

func TestNoWriteOnInvalidConfig(t *testing.T) {
	conf := strings.Replace(replaceLine(validConf, "api_key", "api_key = auto_generated_key"), "region = us-chicago-1", "region = mars-north-1", 1)
	_, path := setup(t, conf)
	if _, err := Load(path, fakeEnv()); err == nil {
		t.Fatal("want error")
	}
	if data, _ := os.ReadFile(path); string(data) != conf {
		t.Error("file rewritten although the configuration is invalid")
	}
}

func TestKeyWriteFailure(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir, path := setup(t, replaceLine(validConf, "api_key", ""))
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	if _, err := Load(path, fakeEnv()); err == nil || !strings.Contains(err.Error(), "cannot save the generated key") {
		t.Errorf("err = %v", err)
	}
}
