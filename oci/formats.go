// Package oci is the format table: it maps the OCI API format a model is served in (GENERIC, COHERE, COHEREV2,
// EMBED) to the package that speaks it, and guesses the format from a model id. It is the one place that knows
// the format names; the handler does one Lookup per model and never switches on a name.
//
// Adding a format: write its package (a core.Chat; see oci/generic for the layout) and add one entry to formats
// below (and a line to Derive when its model ids can be recognised).
package oci

import (
	"strings"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/cohere"
	"github.com/ociai/ociai-proxy/oci/coherev2"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/generic"
)

// Format is an OCI API format a model is served in: a chat format, or embeddings.
type Format struct {
	chat      core.Chat // nil for embeddings
	imagesVia core.Chat // the chat format for requests with images, when chat cannot carry them
}

// The table, in the order Names lists it. Embeddings (EMBED) have one format, embedText (package oci/embed).
var formats = []struct {
	name   string
	format Format
}{
	{"GENERIC", Format{chat: generic.Format}},
	// COHERE cannot carry images; Cohere's vision-capable models take them in COHEREV2.
	{"COHERE", Format{chat: cohere.Format, imagesVia: coherev2.Format}},
	{"COHEREV2", Format{chat: coherev2.Format}},
	{"EMBED", Format{}},
}

// Lookup returns the format of a model configured with the given format name; an unknown name (or none) is
// GENERIC.
func Lookup(name string) Format {
	for _, f := range formats {
		if strings.EqualFold(f.name, name) {
			return f.format
		}
	}
	return formats[0].format
}

// Known reports whether name (any case) names a format.
func Known(name string) bool {
	for _, f := range formats {
		if strings.EqualFold(f.name, name) {
			return true
		}
	}
	return false
}

// Names lists the format names.
func Names() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.name
	}
	return out
}

// Derive guesses the format name from an on-demand model id. An endpoint OCID (dedicated) tells nothing about the
// model behind it: GENERIC unless configured otherwise.
func Derive(modelID string, dedicated bool) string {
	id := strings.ToLower(modelID)
	switch {
	case dedicated:
		return "GENERIC"
	case strings.HasPrefix(id, "cohere.command-a-vision"): // vision requires V2
		return "COHEREV2"
	case strings.HasPrefix(id, "cohere.embed"):
		return "EMBED"
	case strings.HasPrefix(id, "cohere."):
		return "COHERE"
	}
	return "GENERIC"
}

// Embeds reports whether the format is embeddings (embedText) rather than chat.
func (f Format) Embeds() bool { return f.chat == nil }

// Chat is the chat format that carries req.
func (f Format) Chat(req *hub.ChatRequest) core.Chat {
	if f.imagesVia != nil && hub.HasImages(req) {
		return f.imagesVia
	}
	return f.chat
}
