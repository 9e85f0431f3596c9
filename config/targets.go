package config

import (
	"fmt"
	"slices"
	"strings"
)

// endpointList reads [ENDPOINTS] (or OCIAI_ENDPOINTS): `region = URL` per line.
func (l *loader) endpointList(c *Config) {
	for _, p := range l.endpoints {
		label := fmt.Sprintf("endpoint %q (%s)", p.name, p.src)
		region, _ := resolveRegion(p.name)
		if _, dup := c.Endpoints[region]; dup {
			l.problem("%s: region %s given more than once", label, region)
			continue
		}
		ep, err := parseEndpoint(p.value)
		if err != nil {
			l.problem("%s: %v", label, err)
			continue
		}
		if c.Endpoints == nil {
			c.Endpoints = map[string]string{}
		}
		c.Endpoints[region] = ep
	}
}

// modelList reads the models and per-model strategies of [MODELS] (or OCIAI_MODELS).
func (l *loader) modelList(c *Config) {
	if len(l.models) == 0 {
		where := fmt.Sprintf("add a [MODELS] section with lines like `grok-4 = xai.grok-4` to %s or set env %s", l.path, envName(keyModels))
		if l.path == "" {
			where = fmt.Sprintf("set env %s (like grok-4=xai.grok-4,llama=meta.llama-3.3-70b-instruct) or use a config file with a [MODELS] section", envName(keyModels))
		}
		l.problem("models: none configured; %s", where)
		return
	}
	var strategies []pair
	seen := map[string]bool{}
	for _, p := range l.models {
		if strings.HasSuffix(p.name, strategySuffix) {
			strategies = append(strategies, p)
			continue
		}
		label := fmt.Sprintf("model %q (%s)", p.name, p.src)
		if seen[p.name] {
			l.problem("%s: defined more than once", label)
			continue
		}
		seen[p.name] = true
		m, err := parseModel(p.name, p.value)
		if err != nil {
			l.problem("%s: %v", label, err)
			continue
		}
		if m.Strategy = c.Strategy; l.placeTargets(c, m, label) {
			c.Models = append(c.Models, m)
		}
	}
	set := map[string]bool{}
	for _, p := range strategies { // `<name>.strategy = …`
		label := fmt.Sprintf("%s (%s)", p.name, p.src)
		st, err := parseStrategy(p.value)
		i := slices.IndexFunc(c.Models, func(m Model) bool { return m.Name+strategySuffix == p.name })
		switch {
		case set[p.name]:
			l.problem("%s: set more than once", label)
		case !seen[strings.TrimSuffix(p.name, strategySuffix)]:
			l.problem("%s: no model %q to apply it to", label, strings.TrimSuffix(p.name, strategySuffix))
		case err != nil:
			l.problem("%s: %v", label, err)
		case i >= 0:
			c.Models[i].Strategy = st
		}
		set[p.name] = true
	}
}

// placeTargets gives each target its region and reports the ones that cannot be reached.
func (l *loader) placeTargets(c *Config, m Model, label string) bool {
	ok := true
	for i := range m.Targets {
		if msg := c.placeTarget(&m.Targets[i]); msg != "" {
			l.problem("%s: %s", label, msg)
			ok = false
		}
	}
	if !ok {
		return false
	}
	if msg := checkTargets(m); msg != "" {
		l.problem("%s: %s", label, msg)
		return false
	}
	return true
}

// placeTarget sets t.Region: the `@region` written after the model id, the
// region of a dedicated endpoint's OCID, or else the default region. A region
// must be one the SDK knows or one with an [ENDPOINTS] entry.
func (c *Config) placeTarget(t *Target) string {
	reachable := func(r string) bool {
		_, listed := c.Endpoints[r]
		_, known := resolveRegion(r)
		return known || listed || r == c.Region && c.Endpoint != ""
	}
	if at := t.Region; at != "" {
		r, _ := resolveRegion(at)
		if !reachable(r) {
			return fmt.Sprintf("unknown region %s in %s (not in the OCI SDK region table; check the spelling, or give its endpoint in [ENDPOINTS])", show(at), show(t.String()))
		}
		t.Region = r
	}
	if raw := ocidRegion(*t); raw != "" {
		// An OCID whose region part the SDK cannot place is served from the
		// default (or @) region, as before regions were pooled.
		if r, _ := resolveRegion(raw); reachable(r) {
			if t.Region != "" && t.Region != r {
				return fmt.Sprintf("the dedicated endpoint %s is in %s, not %s", t.ID, r, t.Region)
			}
			t.Region = r
		}
	}
	if t.Region == "" {
		t.Region = c.Region
	}
	return ""
}
