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

// parseModel parses the right side of `name = <model id or endpoint OCID> [FORMAT]`.
func parseModel(name, spec string) (Model, error) {
	if name == "" || strings.ContainsFunc(name, unicode.IsSpace) || strings.ContainsAny(name, ",=") {
		return Model{}, fmt.Errorf("the name must be non-empty without spaces, commas or '='")
	}
	f := strings.Fields(spec)
	switch {
	case len(f) == 0:
		return Model{}, fmt.Errorf("no OCI model id (expected `%s = <oci model id or endpoint OCID> [FORMAT]`)", name)
	case len(f) > 2:
		return Model{}, fmt.Errorf("%s has %d words; expected `<oci model id or endpoint OCID> [FORMAT]`", show(spec), len(f))
	case isPlaceholder(f[0], false):
		return Model{}, fmt.Errorf("%s is a placeholder from config.conf.example; put your endpoint OCID or model id", show(f[0]))
	}
	m := Model{Name: name, ID: f[0], Dedicated: strings.HasPrefix(strings.ToLower(f[0]), endpointOCIDPrefix)}
	if len(f) == 2 {
		if !oci.Known(f[1]) {
			names := oci.Names()
			return Model{}, fmt.Errorf("unknown format %s (use %s or %s)", show(f[1]), strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
		}
		m.Format = Format(strings.ToUpper(f[1]))
		return m, nil
	}
	m.Format = Format(oci.Derive(m.ID, m.Dedicated))
	return m, nil
}

// endpointRegion is the region a dedicated endpoint OCID names (full name or
// short key like "iad"), or "" when the SDK cannot place it.
func endpointRegion(m Model) string {
	if !m.Dedicated {
		return ""
	}
	parts := strings.Split(m.ID, ".") // ocid1.generativeaiendpoint.<realm>.<region>.<unique id>
	if len(parts) < 5 || parts[3] == "" {
		return ""
	}
	r, known := resolveRegion(parts[3])
	if !known {
		return ""
	}
	return r
}
