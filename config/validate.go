package config

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

var fingerprintRE = regexp.MustCompile(`^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){15}$`)

// build turns the raw values into a Config, recording every problem.
func (l *loader) build() *Config {
	c := &Config{Path: l.path}
	l.endpointList(c) // before the region: a region with an [ENDPOINTS] entry needs no SDK entry
	c.Auth = l.authMode()
	switch c.Auth {
	case AuthAPIKey:
		l.apiKeyIdentity(c)
	case AuthConfigFile:
		l.configFileIdentity(c)
	case AuthInstancePrincipal, AuthResourcePrincipal:
		l.principalIdentity(c)
	}
	l.compartment(c)
	l.endpoint(c)
	l.vaultSecret(c)
	l.clientKeys(c)
	l.knobs(c)
	l.modelList(c)
	return c
}

// text returns a set value; a placeholder is reported and yields ok=false.
func (l *loader) text(key string) (v value, ok bool) {
	v = l.get(key)
	if !v.set {
		return v, false
	}
	s, _ := lookupSetting(key)
	if isPlaceholder(v.v, s.secret) {
		switch {
		case s.secret:
			l.problem("%s (%s): still the placeholder from config.conf.example", key, v.src)
		case slices.Contains(examplePlaceholders, v.v):
			l.problem("%s (%s): %s is a placeholder from config.conf.example; replace it with your value", key, v.src, show(v.v))
		default:
			l.problem("%s (%s): %s is a placeholder; replace it with your value", key, v.src, show(v.v))
		}
		return v, false
	}
	return v, true
}

// require is text that also reports a missing value.
func (l *loader) require(key, why string) (value, bool) {
	v, ok := l.text(key)
	if !v.set {
		l.problem("%s: missing (required %s); %s", key, why, l.where(key))
	}
	return v, ok
}

func (l *loader) authMode() Auth {
	v, ok := l.text(keyAuth)
	if !v.set {
		if l.getenv(envRPVersion) != "" { // running in OCI Functions
			return AuthResourcePrincipal
		}
		return AuthAPIKey
	}
	if !ok {
		return ""
	}
	switch a := Auth(strings.ToLower(v.v)); a {
	case AuthAPIKey, AuthConfigFile, AuthInstancePrincipal, AuthResourcePrincipal:
		return a
	}
	l.problem("%s (%s): unknown mode %s (use api_key, config_file, instance_principal or resource_principal)", keyAuth, v.src, show(v.v))
	return ""
}

// checkOCID reports a value that is not an OCID with one of prefixes.
func checkOCID(s string, prefixes ...string) string {
	for _, p := range prefixes {
		rest, ok := strings.CutPrefix(s, p)
		if ok && strings.Count(rest, ".") >= 2 && !strings.HasSuffix(rest, ".") && !strings.ContainsFunc(s, unicode.IsSpace) {
			return ""
		}
	}
	return fmt.Sprintf("%s is not an OCID starting with %s", show(s), strings.Join(prefixes, " or "))
}

func checkFingerprint(s string) string {
	if fingerprintRE.MatchString(s) {
		return ""
	}
	return fmt.Sprintf("%s is not a key fingerprint (16 colon-separated hex pairs like 12:34:…:ef)", show(s))
}

// ocidValue returns the value of key when it is a valid OCID.
func (l *loader) ocidValue(v value, ok bool, key string, prefixes ...string) string {
	if !ok {
		return ""
	}
	if msg := checkOCID(v.v, prefixes...); msg != "" {
		l.problem("%s (%s): %s", key, v.src, msg)
		return ""
	}
	return v.v
}

func (l *loader) apiKeyIdentity(c *Config) {
	const why = "for auth = api_key"
	v, ok := l.require(keyUser, why)
	c.User = l.ocidValue(v, ok, keyUser, "ocid1.user.")
	if v, ok := l.require(keyFingerprint, why); ok {
		if msg := checkFingerprint(v.v); msg != "" {
			l.problem("%s (%s): %s", keyFingerprint, v.src, msg)
		} else {
			c.Fingerprint = v.v
		}
	}
	v, ok = l.require(keyTenancy, why)
	c.Tenancy = l.ocidValue(v, ok, keyTenancy, "ocid1.tenancy.")
	l.setRegion(c, why)
	if v, ok := l.text(keyPassPhrase); ok {
		c.PassPhrase = v.v
	}
	if pk := l.get(keyPrivateKey); pk.set { // inline key wins over key_file
		c.PrivateKey = unescapePEM(pk.v)
		fp, msg := checkPrivateKey([]byte(c.PrivateKey), c.PassPhrase)
		if msg != "" {
			l.problem("%s (%s): %s%s", keyPrivateKey, pk.src, msg, l.passHint(msg))
		}
		l.matchFingerprint(c.Fingerprint, fp, "the key in env "+envName(keyPrivateKey))
		return
	}
	kf, ok := l.text(keyKeyFile)
	switch {
	case !kf.set:
		l.problem("%s: missing (required %s); %s, or put the PEM key itself in env %s", keyKeyFile, why, l.where(keyKeyFile), envName(keyPrivateKey))
	case ok:
		c.KeyFile = l.filePath(kf)
		fp, msg := readKeyFile(c.KeyFile, c.PassPhrase)
		if msg != "" {
			l.problem("%s (%s): %s%s", keyKeyFile, kf.src, msg, l.passHint(msg))
		}
		l.matchFingerprint(c.Fingerprint, fp, "key_file "+c.KeyFile)
	}
}

// matchFingerprint reports a valid fingerprint setting that is not the fingerprint of the key.
func (l *loader) matchFingerprint(configured, actual, keyName string) {
	if configured == "" {
		return
	}
	if msg := fingerprintMismatch(configured, actual, keyName); msg != "" {
		l.problem("%s (%s): %s", keyFingerprint, l.get(keyFingerprint).src, msg)
	}
}

// passHint adds where to set the pass phrase when that is the problem.
func (l *loader) passHint(msg string) string {
	if strings.Contains(msg, "no pass_phrase") {
		return "; " + l.where(keyPassPhrase)
	}
	return ""
}

// setRegion validates `region`; why != "" makes it required. An unknown region
// is accepted only with an explicit endpoint (then it is passed through as is).
func (l *loader) setRegion(c *Config, why string) {
	var v value
	var ok bool
	if why != "" {
		v, ok = l.require(keyRegion, why)
	} else {
		v, ok = l.text(keyRegion)
	}
	if !ok {
		return
	}
	r, known := resolveRegion(v.v)
	if _, listed := c.Endpoints[r]; !known && !listed && !l.get(keyEndpoint).set {
		l.problem("%s (%s): unknown region %s (not in the OCI SDK region table; check the spelling, e.g. us-chicago-1, or set endpoint explicitly)", keyRegion, v.src, show(v.v))
		return
	}
	c.Region = r
}

func (l *loader) principalIdentity(c *Config) {
	l.setRegion(c, "")
	if c.Region == "" && !l.get(keyRegion).set && c.Auth == AuthResourcePrincipal {
		// The Functions platform tells us the region; trust it even when this SDK
		// version does not know it (Endpoint then stays empty for the SDK to derive).
		if r := strings.TrimSpace(l.getenv(envRPRegion)); r != "" {
			c.Region, _ = resolveRegion(r)
		}
	}
	v, ok := l.text(keyTenancy)
	c.Tenancy = l.ocidValue(v, ok, keyTenancy, "ocid1.tenancy.")
}

func (l *loader) compartment(c *Config) {
	v, ok := l.text(keyCompartmentID)
	if !v.set {
		c.CompartmentID = c.Tenancy
		if c.Auth == AuthInstancePrincipal && !l.get(keyTenancy).set {
			l.problem("%s: missing (required for auth = instance_principal); %s", keyCompartmentID, l.where(keyCompartmentID))
		}
		return
	}
	c.CompartmentID = l.ocidValue(v, ok, keyCompartmentID, "ocid1.compartment.", "ocid1.tenancy.")
}

func (l *loader) endpoint(c *Config) {
	if v, ok := l.text(keyEndpoint); v.set {
		if !ok {
			return
		}
		ep, err := parseEndpoint(v.v)
		if err != nil {
			l.problem("%s (%s): %v", keyEndpoint, v.src, err)
			return
		}
		if listed, ok := c.Endpoints[c.Region]; ok && c.Region != "" && listed != ep {
			l.problem("%s (%s): %s, but [ENDPOINTS] gives %s for the same region %s; keep one", keyEndpoint, v.src, show(ep), show(listed), c.Region)
		}
		c.Endpoint = ep
		return
	}
	if ep, ok := c.Endpoints[c.Region]; ok && c.Region != "" {
		c.Endpoint = ep
		return
	}
	if _, known := resolveRegion(c.Region); c.Region != "" && known {
		c.Endpoint = regionEndpoint(c.Region)
	}
}

// clientKeys collects the keys gateway clients present and decides whether one
// must be generated.
func (l *loader) clientKeys(c *Config) {
	if v := l.get(keyAuthViaGateway); v.set {
		b, err := parseBool(v.v)
		if err != nil {
			l.problem("%s (%s): %v", keyAuthViaGateway, v.src, err)
		}
		c.AuthViaGateway = b
	}
	var keys keyList
	v := l.get(keyAPIKey)
	explicit := v.set && v.v != autoKeyPlaceholder
	if explicit {
		keys.add("default", v.v, fmt.Sprintf("%s (%s)", keyAPIKey, v.src))
	}
	for _, p := range l.apiKeys {
		keys.add(p.name, p.value, fmt.Sprintf("API key %q (%s)", p.name, p.src))
	}
	c.APIKeys = keys.keys
	l.problems = append(l.problems, keys.problems...)
	if explicit || len(l.apiKeys) > 0 || c.AuthViaGateway || c.APIKeySecretOCID != "" {
		return
	}
	if c.Auth == AuthResourcePrincipal && l.path == "" {
		// Every function instance would generate a different key: clients would
		// see random 401s. Insist on a configured key instead.
		l.problem("%s: missing (required with resource_principal, as each function instance would generate a different key); set env %s or %s, or %s=true when API Gateway authenticates",
			keyAPIKey, envName(keyAPIKey), envName(keyAPIKeys), envName(keyAuthViaGateway))
		return
	}
	l.generate = true
}

func (l *loader) knobs(c *Config) {
	c.ForceNonStream = l.boolKnob(keyForceNonStream, false)
	c.LogPrompts = l.boolKnob(keyLogPrompts, false)

	c.DefaultMaxTokens = DefaultMaxTokens
	if v, ok := l.text(keyDefaultMaxTokens); ok {
		n, err := strconv.Atoi(v.v)
		if err != nil || n <= 0 {
			l.problem("%s (%s): %s is not a positive integer", keyDefaultMaxTokens, v.src, show(v.v))
		}
		c.DefaultMaxTokens = n
	}

	c.CORSOrigins = []string{"*"}
	if v, ok := l.text(keyCORSOrigins); ok {
		c.CORSOrigins = nil
		for _, o := range splitList(v.v) {
			origin, err := parseOrigin(o)
			if err != nil {
				l.problem("%s (%s): %v", keyCORSOrigins, v.src, err)
				continue
			}
			c.CORSOrigins = append(c.CORSOrigins, origin)
		}
	}

	c.MaxBodyBytes = DefaultMaxBodyBytes
	if v, ok := l.text(keyMaxBodyBytes); ok {
		n, err := parseSize(v.v)
		if err != nil {
			l.problem("%s (%s): %v", keyMaxBodyBytes, v.src, err)
		}
		c.MaxBodyBytes = n
	}

	c.MaxRetries = l.intKnob(keyMaxRetries, DefaultMaxRetries, 0, MaxMaxRetries)
	c.MaxConcurrentPerKey = l.intKnob(keyMaxConcurrent, 0, 0, -1)
	c.MaxEmbeddingInputs = l.intKnob(keyMaxEmbedInputs, DefaultMaxEmbedInputs, 1, -1)
	l.metricsKnobs(c)

	c.Strategy = StrategyFailover
	if v, ok := l.text(keyStrategy); ok {
		st, err := parseStrategy(v.v)
		if err != nil {
			l.problem("%s (%s): %v", keyStrategy, v.src, err)
		} else {
			c.Strategy = st
		}
	}

	c.RequestTimeout = l.durationKnob(keyRequestTimeout, DefaultRequestTimeout)
	c.StreamIdleTimeout = l.durationKnob(keyStreamIdleTimeout, DefaultStreamIdleTimeout)
	c.BodyIdleTimeout = l.durationKnob(keyBodyIdleTimeout, DefaultBodyIdleTimeout)
	c.BodyReadTimeout = l.durationKnob(keyBodyReadTimeout, DefaultBodyReadTimeout)

	c.LogLevel = DefaultLogLevel
	if v, ok := l.text(keyLogLevel); ok {
		switch lv := strings.ToLower(v.v); lv {
		case "debug", "info", "warn", "error":
			c.LogLevel = lv
		case "warning":
			c.LogLevel = "warn"
		default:
			l.problem("%s (%s): %s is not debug, info, warn or error", keyLogLevel, v.src, show(v.v))
		}
	}
}

// metricsKnobs reads where /metrics is served and the key it asks for.
func (l *loader) metricsKnobs(c *Config) {
	c.Metrics = l.boolKnob(keyMetrics, true)
	if v, ok := l.text(keyMetricsListen); ok {
		if _, port, err := net.SplitHostPort(v.v); err != nil || port == "" {
			l.problem("%s (%s): %s is not host:port (like 127.0.0.1:9090)", keyMetricsListen, v.src, show(v.v))
		} else {
			c.MetricsListen = v.v
		}
	}
	if v, ok := l.text(keyMetricsKey); ok {
		if strings.ContainsFunc(v.v, unicode.IsSpace) {
			l.problem("%s (%s): the key must not contain spaces", keyMetricsKey, v.src)
		}
		c.MetricsKey = v.v
	}
}

func (l *loader) boolKnob(key string, def bool) bool {
	v, ok := l.text(key)
	if !ok {
		return def
	}
	b, err := parseBool(v.v)
	if err != nil {
		l.problem("%s (%s): %v", key, v.src, err)
	}
	return b
}

// intKnob reads an integer in [lo, hi] (hi < 0: no upper bound).
func (l *loader) intKnob(key string, def, lo, hi int) int {
	v, ok := l.text(key)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v.v))
	switch {
	case err != nil && hi < 0:
		l.problem("%s (%s): %s is not an integer >= %d", key, v.src, show(v.v), lo)
	case err != nil:
		l.problem("%s (%s): %s is not an integer from %d to %d", key, v.src, show(v.v), lo, hi)
	case n < lo && hi < 0:
		l.problem("%s (%s): %s must be %d or more", key, v.src, show(v.v), lo)
	case n < lo || hi >= 0 && n > hi:
		l.problem("%s (%s): %s must be from %d to %d", key, v.src, show(v.v), lo, hi)
	default:
		return n
	}
	return def
}

func (l *loader) durationKnob(key string, def time.Duration) time.Duration {
	v, ok := l.text(key)
	if !ok {
		return def
	}
	d, err := parseDuration(v.v)
	if err != nil {
		l.problem("%s (%s): %v", key, v.src, err)
	}
	return d
}
