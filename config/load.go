package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/ini.v1"
)

// Section names of the gateway config file (matched case-insensitively).
const (
	sectionDefault   = "DEFAULT"
	sectionModels    = "MODELS"
	sectionAPIKeys   = "API_KEYS"
	sectionEndpoints = "ENDPOINTS"
)

// source says where a value came from, for error messages.
type source struct {
	file, section string // config file and section, or
	env           string // the environment variable
}

func (s source) String() string {
	if s.env != "" {
		return "env " + s.env
	}
	return s.file + " [" + s.section + "]"
}

// value is one raw setting; set is false when neither file nor env gave it.
type value struct {
	v   string
	src source
	set bool
}

// loader accumulates raw values and problems during one Load.
type loader struct {
	getenv    func(string) string
	path      string           // config file read, "" when env only
	vals      map[string]value // by settings key
	models    []pair
	apiKeys   []pair
	endpoints []pair // [ENDPOINTS] or OCIAI_ENDPOINTS: region = URL
	problems  []string
	generate  bool // no client key configured: generate one
}

// Load reads the config file at path (when path is "", DefaultPath if it exists),
// applies OCIAI_* overrides from getenv (os.Getenv when nil), validates
// everything and resolves defaults. All problems are reported together, one per
// line (errors.Join). A missing file is fine when the environment supplies the
// configuration (OCI Functions). When no client API key is configured it
// generates one, writes it back into the file (only that line changes; the file
// becomes mode 0600) and returns it in GeneratedKey.
func Load(path string, getenv func(string) string) (*LoadResult, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	l := &loader{getenv: getenv, vals: map[string]value{}}
	explicit := path != ""
	if !explicit {
		path = DefaultPath
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		l.path = path
		if err := l.readFile(data); err != nil {
			return nil, err
		}
	case errors.Is(err, fs.ErrNotExist):
		if l.env(keyModels) == "" {
			if explicit {
				return nil, fmt.Errorf("config file %s not found: copy config.conf.example to %s and fill it in, or configure through OCIAI_* environment variables (at least OCIAI_MODELS)", path, path)
			}
			return nil, fmt.Errorf("no configuration: %s not found and OCIAI_MODELS not set: copy config.conf.example to %s and fill it in, or configure through OCIAI_* environment variables", path, path)
		}
	default:
		return nil, fmt.Errorf("config file: %w", err)
	}
	l.applyEnv()
	cfg := l.build()
	if len(l.problems) > 0 {
		return nil, l.err()
	}
	res := &LoadResult{Config: cfg}
	if l.generate {
		key, err := Generate()
		if err != nil {
			return nil, err
		}
		if l.path != "" {
			if err := writeAPIKey(l.path, key); err != nil {
				return nil, fmt.Errorf("api_key: cannot save the generated key to %s: %w (set api_key in the file or OCIAI_API_KEY)", l.path, err)
			}
		}
		cfg.APIKeys = []APIKey{{Name: "default", Key: key}}
		res.GeneratedKey = key
	}
	return res, nil
}

func (l *loader) problem(format string, args ...any) {
	l.problems = append(l.problems, fmt.Sprintf(format, args...))
}

func (l *loader) err() error {
	errs := make([]error, len(l.problems))
	for i, p := range l.problems {
		errs[i] = errors.New(p)
	}
	where := "environment"
	if l.path != "" {
		where = l.path + " and environment"
	}
	if len(errs) == 1 { // one problem, one line
		return fmt.Errorf("invalid configuration (%s): %w", where, errs[0])
	}
	return fmt.Errorf("invalid configuration (%s), %d problem(s):\n%w", where, len(errs), errors.Join(errs...))
}

// iniOptions keep values raw: cleanValue removes inline comments and quotes itself, with rules that keep
// '#' and ';' inside secrets and URLs (ini's own would cut them). No line continuations either.
var iniOptions = ini.LoadOptions{
	AllowShadows:               true, // to report duplicate keys instead of silently keeping one
	AllowDuplicateShadowValues: true,
	IgnoreInlineComment:        true,
	PreserveSurroundedQuote:    true,
	IgnoreContinuation:         true,
	KeyValueDelimiters:         "=",
	SkipUnrecognizableLines:    true, // reported by checkLines, without echoing the line
}

// checkLines reports lines ini would reject, by number only (they may hold secrets).
func checkLines(name string, data []byte) []string {
	var problems []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		t := strings.TrimSpace(sc.Text())
		if n == 1 {
			t = strings.TrimPrefix(t, "\uFEFF")
		}
		switch {
		case t == "", t[0] == '#', t[0] == ';', t[0] == '[' && strings.HasSuffix(t, "]"), strings.Contains(t, "="):
		default:
			problems = append(problems, fmt.Sprintf("%s:%d: not a `key = value` line, [SECTION] header or # comment", name, n))
		}
	}
	if sc.Err() != nil {
		problems = append(problems, fmt.Sprintf("%s: %v", name, sc.Err()))
	}
	return problems
}

func (l *loader) readFile(data []byte) error {
	l.problems = append(l.problems, checkLines(l.path, data)...)
	f, err := ini.LoadSources(iniOptions, data)
	if err != nil {
		return fmt.Errorf("config file %s: %w", l.path, err)
	}
	for _, sec := range f.Sections() {
		name := sec.Name()
		switch {
		case strings.EqualFold(name, sectionDefault):
			l.readDefault(sec)
		case strings.EqualFold(name, sectionModels):
			if l.env(keyModels) == "" { // else replaced by the env: don't report its problems
				l.models = append(l.models, l.readPairs(sec, "model")...)
			}
		case strings.EqualFold(name, sectionAPIKeys):
			if l.env(keyAPIKeys) == "" {
				l.apiKeys = append(l.apiKeys, l.readPairs(sec, "API key")...)
			}
		case strings.EqualFold(name, sectionEndpoints):
			if l.env(keyEndpoints) == "" {
				l.endpoints = append(l.endpoints, l.readPairs(sec, "endpoint")...)
			}
		default:
			l.problem("%s: unknown section [%s] (expected [DEFAULT], [MODELS], [ENDPOINTS] or [API_KEYS])", l.path, name)
		}
	}
	return nil
}

func (l *loader) readDefault(sec *ini.Section) {
	src := source{file: l.path, section: sectionDefault}
	for _, k := range sec.Keys() {
		key := strings.ToLower(k.Name())
		s, ok := lookupSetting(key)
		switch {
		case key == "security_token_file" || key == "delegation_token_file" || key == "authentication_type":
			l.problem("%s (%s): not supported here; to use an OCI CLI session-token profile set auth = config_file and profile", key, src)
			continue
		case !ok || s.envOnly:
			l.problem("%s (%s): unknown key", k.Name(), src)
			continue
		}
		if _, dup := l.vals[key]; dup || len(k.ValueWithShadows()) > 1 {
			l.problem("%s (%s): set more than once", key, src)
			if dup {
				continue
			}
		}
		v := cleanValue(k.Value())
		l.vals[key] = value{v: v, src: src, set: v != ""} // `key =` counts as unset
	}
}

func (l *loader) readPairs(sec *ini.Section, what string) []pair {
	src := source{file: l.path, section: strings.ToUpper(sec.Name())}
	var out []pair
	for _, k := range sec.Keys() {
		if len(k.ValueWithShadows()) > 1 {
			l.problem("%s %q (%s): defined more than once", what, k.Name(), src)
			continue
		}
		out = append(out, pair{name: k.Name(), value: cleanValue(k.Value()), src: src})
	}
	return out
}

// applyEnv lets every OCIAI_* variable override the file; an empty variable
// counts as unset.
func (l *loader) applyEnv() {
	sections := map[string]*[]pair{keyModels: &l.models, keyEndpoints: &l.endpoints, keyAPIKeys: &l.apiKeys}
	for _, s := range settings {
		env, v := envName(s.key), l.env(s.key)
		if v == "" {
			continue
		}
		if dst, ok := sections[s.key]; ok {
			var problems []string
			*dst, problems = parsePairs(env, v, s.key == keyModels)
			l.problems = append(l.problems, problems...)
			continue
		}
		l.vals[s.key] = value{v: v, src: source{env: env}, set: true}
	}
}

// env returns OCIAI_<KEY>; blank counts as unset.
func (l *loader) env(key string) string { return strings.TrimSpace(l.getenv(envName(key))) }

// get returns the raw value of a settings key.
func (l *loader) get(key string) value { return l.vals[key] }

// where tells the user how to set a missing key.
func (l *loader) where(key string) string {
	if l.path == "" {
		return fmt.Sprintf("set env %s (or %s in [DEFAULT] of a config file)", envName(key), key)
	}
	return fmt.Sprintf("set %s in [DEFAULT] of %s or env %s", key, l.path, envName(key))
}

// expand expands a leading ~ using HOME from getenv (falling back to the OS).
func (l *loader) expand(p string) string {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p
	}
	home := l.getenv(envHome)
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return p
		}
	}
	return filepath.Join(home, p[1:])
}

// filePath expands ~ and resolves a path given in the config file relative to
// the file's directory (env paths stay relative to the working directory).
func (l *loader) filePath(v value) string {
	p := l.expand(v.v)
	if v.src.env == "" && v.src.file != "" && !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(v.src.file), p)
	}
	return p
}
