package config

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/ociai/ociai-proxy/oci"
)

// endpointOCIDPrefix marks a DEDICATED serving mode model: a generative AI
// endpoint (fine-tuned or hosted model on a dedicated AI cluster).
const endpointOCIDPrefix = "ocid1.generativeaiendpoint."

// strategySuffix marks a [MODELS] key that sets an alias's strategy
// (`grok-4.strategy = spread`) rather than defining a model.
const strategySuffix = ".strategy"

// parseModel parses the right side of `name = <target>[, <target>…]`, each
// target `<model id or endpoint OCID>[@region] [FORMAT]`. Regions are taken
// as written (Target.Region); the loader checks and places them.
func parseModel(name, spec string) (Model, error) {
	if name == "" || strings.ContainsFunc(name, unicode.IsSpace) || strings.ContainsAny(name, ",=@") {
		return Model{}, fmt.Errorf("the name must be non-empty without spaces, commas, '@' or '='")
	}
	items := strings.Split(spec, ",")
	m := Model{Name: name, Targets: make([]Target, 0, len(items))}
	for _, item := range items {
		if strings.TrimSpace(item) == "" && len(items) > 1 {
			return Model{}, fmt.Errorf("%s has an empty target between commas", show(spec))
		}
		t, err := parseTarget(name, strings.TrimSpace(item))
		if err != nil {
			return Model{}, err
		}
		m.Targets = append(m.Targets, t)
	}
	return m, nil
}

// parseTarget parses one `<model id or endpoint OCID>[@region] [FORMAT]`.
func parseTarget(name, spec string) (Target, error) {
	f := strings.Fields(spec)
	switch {
	case len(f) == 0:
		return Target{}, fmt.Errorf("no OCI model id (expected `%s = <oci model id or endpoint OCID>[@region] [FORMAT]`)", name)
	case len(f) > 2:
		return Target{}, fmt.Errorf("%s has %d words; expected `<oci model id or endpoint OCID>[@region] [FORMAT]`", show(spec), len(f))
	case isPlaceholder(f[0], false):
		return Target{}, fmt.Errorf("%s is a placeholder from config.conf.example; put your endpoint OCID or model id", show(f[0]))
	}
	id, region, hasAt := strings.Cut(f[0], "@")
	if id == "" || hasAt && (region == "" || strings.Contains(region, "@")) {
		return Target{}, fmt.Errorf("%s is not `<model id>@<region>`", show(f[0]))
	}
	t := Target{ID: id, Region: region, Dedicated: strings.HasPrefix(strings.ToLower(id), endpointOCIDPrefix)}
	if len(f) == 2 {
		if !oci.Known(f[1]) {
			names := oci.Names()
			return Target{}, fmt.Errorf("unknown format %s (use %s or %s)", show(f[1]), strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
		}
		t.Format = Format(strings.ToUpper(f[1]))
		return t, nil
	}
	t.Format = Format(oci.Derive(t.ID, t.Dedicated))
	return t, nil
}

// ocidRegion is the region part of a dedicated endpoint OCID as written
// (full name or short key like "iad"), or "" when it has none.
func ocidRegion(t Target) string {
	if !t.Dedicated {
		return ""
	}
	parts := strings.Split(t.ID, ".") // ocid1.generativeaiendpoint.<realm>.<region>.<unique id>
	if len(parts) < 5 {
		return ""
	}
	return parts[3]
}

// parseStrategy reads a `strategy` value.
func parseStrategy(s string) (Strategy, error) {
	switch st := Strategy(strings.ToLower(strings.TrimSpace(s))); st {
	case StrategyFailover, StrategySpread, StrategyLeastBusy:
		return st, nil
	}
	return "", fmt.Errorf("%s is not a strategy (use failover, spread or least-busy)", show(s))
}

// checkTargets reports what makes a model's target list unusable: an alias is
// either chat or embeddings, an embedding alias serves one model (vectors of
// different models do not mix), and no target is listed twice.
func checkTargets(m Model) string {
	embed := m.Embed()
	for i, t := range m.Targets {
		if t.embeds() != embed {
			return "mixes EMBED and chat targets; an alias is either for chat or for embeddings"
		}
		if embed && !t.Dedicated && !m.Targets[0].Dedicated && t.ID != m.Targets[0].ID {
			return fmt.Sprintf("embedding targets must all be the same model (%s and %s give incompatible vectors)", m.Targets[0].ID, t.ID)
		}
		for _, u := range m.Targets[:i] {
			if u.ID == t.ID && u.Region == t.Region {
				return fmt.Sprintf("lists %s more than once", t)
			}
		}
	}
	return ""
}
