package config

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// keyList collects client keys, recording a problem for each empty, placeholder, malformed or repeated one.
// Problems name the key's label, never the key.
type keyList struct {
	keys     []APIKey
	problems []string
	names    map[string]bool
	owner    map[string]string // key → name, to catch one key under two names
}

func (k *keyList) add(name, key, label string) {
	if k.names == nil {
		k.names, k.owner = map[string]bool{}, map[string]string{}
	}
	problem := ""
	switch {
	case key == "":
		problem = "empty key"
	case isPlaceholder(key, true):
		problem = "still a placeholder"
	case strings.ContainsFunc(key, unicode.IsSpace) || strings.Contains(key, ","):
		problem = "the key must not contain spaces or commas"
	case k.names[name]:
		problem = "name used more than once"
	case k.owner[key] != "":
		problem = fmt.Sprintf("same key as %q; give each client its own key", k.owner[key])
	default:
		k.names[name], k.owner[key] = true, name
		k.keys = append(k.keys, APIKey{Name: name, Key: key})
		return
	}
	k.problems = append(k.problems, label+": "+problem)
}

// SecretKeyName is the name a Vault secret's key gets when the secret holds one key without a name.
const SecretKeyName = "vault"

// ParseAPIKeys reads the client keys held in an OCI Vault secret: `name=key` entries separated by commas or
// newlines (the OCIAI_API_KEYS form), or one bare key, which is named SecretKeyName. Keys follow the rules of
// api_key; errors name entries by position and name, never a key.
func ParseAPIKeys(content string) ([]APIKey, error) {
	text := strings.TrimSpace(content)
	var keys keyList
	var problems []string
	if text != "" && !strings.ContainsAny(text, ",=\n") {
		keys.add(SecretKeyName, text, "the secret's key")
	} else {
		var pairs []pair
		pairs, problems = parsePairs("the secret", strings.ReplaceAll(text, "\n", ","), false)
		for i, p := range pairs {
			keys.add(p.name, p.value, fmt.Sprintf("the secret's entry %d (%q)", i+1, p.name))
		}
	}
	problems = append(problems, keys.problems...)
	if len(problems) == 0 && len(keys.keys) == 0 {
		problems = append(problems, "the secret holds no keys")
	}
	if len(problems) > 0 {
		errs := make([]error, len(problems))
		for i, p := range problems {
			errs[i] = errors.New(p)
		}
		return nil, errors.Join(errs...)
	}
	return keys.keys, nil
}

// vaultSecret reads where more client keys come from: an OCI Vault secret, its refresh interval, and the secret
// retrieval endpoint.
func (l *loader) vaultSecret(c *Config) {
	v, ok := l.text(keySecretOCID)
	c.APIKeySecretOCID = l.ocidValue(v, ok, keySecretOCID, "ocid1.vaultsecret.")
	c.APIKeySecretRefresh = l.durationKnob(keySecretRefresh, DefaultSecretRefresh)
	if r := l.get(keySecretRefresh); r.set && c.APIKeySecretRefresh < MinSecretRefresh {
		l.problem("%s (%s): %s is too short; the least is %s", keySecretRefresh, r.src, show(r.v), MinSecretRefresh)
	}
	if e, ok := l.text(keySecretsEndpoint); ok {
		ep, err := parseEndpoint(e.v)
		if err != nil {
			l.problem("%s (%s): %v", keySecretsEndpoint, e.src, err)
		}
		c.SecretsEndpoint = ep
	}
	if !v.set {
		for _, k := range []string{keySecretRefresh, keySecretsEndpoint} {
			if x := l.get(k); x.set {
				l.problem("%s (%s): set without %s", k, x.src, keySecretOCID)
			}
		}
		return
	}
	if b, err := parseBool(l.get(keyAuthViaGateway).v); err == nil && b {
		l.problem("%s (%s): not used, as auth_via_gateway = true accepts calls without a key", keySecretOCID, v.src)
	}
	// ocid1.vaultsecret.<realm>.<region>.<unique id>: the secret is read in its own region.
	if parts := strings.Split(c.APIKeySecretOCID, "."); len(parts) >= 5 && parts[3] != "" {
		if r, known := resolveRegion(parts[3]); known {
			c.APIKeySecretRegion = r
		}
	}
}
