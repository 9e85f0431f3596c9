package config

import (
	"fmt"
	"strings"
	"unicode"
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
		switch ft := Format(strings.ToUpper(f[1])); ft {
		case FormatGeneric, FormatCohere, FormatCohereV2, FormatEmbed:
			m.Format = ft
		default:
			return Model{}, fmt.Errorf("unknown format %s (use GENERIC, COHERE, COHEREV2 or EMBED)", show(f[1]))
		}
		return m, nil
	}
	m.Format = deriveFormat(m.ID, m.Dedicated)
	return m, nil
}

// deriveFormat guesses the OCI API format from an ON_DEMAND model id. An
// endpoint OCID tells nothing about the model behind it: GENERIC unless overridden.
func deriveFormat(id string, dedicated bool) Format {
	id = strings.ToLower(id)
	switch {
	case dedicated:
		return FormatGeneric
	case strings.HasPrefix(id, "cohere.command-a-vision"): // vision requires V2
		return FormatCohereV2
	case strings.HasPrefix(id, "cohere.embed"):
		return FormatEmbed
	case strings.HasPrefix(id, "cohere."):
		return FormatCohere
	}
	return FormatGeneric
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
