package ocisim

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

// The regions the catalogue names.
const (
	ashburn   = "us-ashburn-1"
	chicago   = "us-chicago-1"
	phoenix   = "us-phoenix-1"
	frankfurt = "eu-frankfurt-1"
	london    = "uk-london-1"
	saopaulo  = "sa-saopaulo-1"
	osaka     = "ap-osaka-1"
)

// DefaultRegion is the region a simulator plays unless Options.Region names another: the one with the
// broadest catalogue.
const DefaultRegion = chicago

// Capabilities of ListModels' ModelSummary.
const (
	capChat       = "CHAT"
	capEmbeddings = "TEXT_EMBEDDINGS"
)

// catalogModel is a pretrained model and the OC1 regions that serve it on demand.
type catalogModel struct {
	id         string
	capability string
	regions    []string
}

var usRegions = []string{ashburn, chicago, phoenix}

// catalogue lists the model ids OCI Generative AI serves on demand, per region: a request for any other id
// gets OCI's 404. Sources, as read in 2026: Oracle's "Generative AI Models by Region" page
// (docs.oracle.com/iaas/Content/generative-ai/model-endpoint-regions.htm; its North America table) and the
// per-model pages' "Available in These Regions" lists (xAI Grok 3/3 Mini/Fast, Meta Llama 3.3 70B, OpenAI
// gpt-oss, Cohere Command R/R+ 08-2024), with the ids of reference/oci-genai.md §7. Regions without an
// on-demand entry there (dedicated AI cluster only, or not known) are left out: Hyderabad, Riyadh and Dubai
// serve nothing on demand here. UNCONFIRMED: where only the North America table was available (Llama 4,
// Llama 3.1/3.2, Command A, Command A Vision, the embed models) other regions may serve the model too.
// Deprecated models leave this list as Oracle retires them.
var catalogue = []catalogModel{
	{"xai.grok-4", capChat, usRegions},
	{"xai.grok-4-fast-reasoning", capChat, usRegions},
	{"xai.grok-4-fast-non-reasoning", capChat, usRegions},
	{"xai.grok-4-1-fast-reasoning", capChat, usRegions},
	{"xai.grok-4-1-fast-non-reasoning", capChat, usRegions},
	{"xai.grok-code-fast-1", capChat, usRegions},
	{"xai.grok-3", capChat, usRegions},
	{"xai.grok-3-fast", capChat, usRegions},
	{"xai.grok-3-mini", capChat, usRegions},
	{"xai.grok-3-mini-fast", capChat, usRegions},

	{"google.gemini-2.5-pro", capChat, usRegions},
	{"google.gemini-2.5-flash", capChat, usRegions},
	{"google.gemini-2.5-flash-lite", capChat, usRegions},

	{"meta.llama-3.3-70b-instruct", capChat, []string{chicago, frankfurt, london, saopaulo, osaka}},
	{"meta.llama-4-maverick-17b-128e-instruct-fp8", capChat, []string{chicago}},
	{"meta.llama-4-scout-17b-16e-instruct", capChat, []string{chicago}},
	{"meta.llama-3.2-90b-vision-instruct", capChat, []string{chicago}},
	{"meta.llama-3.1-405b-instruct", capChat, []string{chicago}},

	{"openai.gpt-oss-120b", capChat, []string{chicago, frankfurt, osaka}},
	{"openai.gpt-oss-20b", capChat, []string{chicago, frankfurt, osaka}},

	{"cohere.command-a-03-2025", capChat, []string{chicago}},
	{"cohere.command-a-vision-07-2025", capChat, []string{chicago}},
	{"cohere.command-r-08-2024", capChat, []string{chicago, frankfurt, london, saopaulo, osaka}},
	{"cohere.command-r-plus-08-2024", capChat, []string{chicago, frankfurt, london, saopaulo, osaka}},

	{"cohere.embed-v4.0", capEmbeddings, []string{chicago}},
	{"cohere.embed-english-v3.0", capEmbeddings, []string{chicago}},
	{"cohere.embed-english-light-v3.0", capEmbeddings, []string{chicago}},
	{"cohere.embed-multilingual-v3.0", capEmbeddings, []string{chicago}},
	{"cohere.embed-multilingual-light-v3.0", capEmbeddings, []string{chicago}},
}

// servedModel is one model a simulator serves on demand.
type servedModel struct {
	id, ocid, vendor, capability string
}

// servedModels is what region serves on demand, plus extra (Options.ExtraModels), in catalogue order.
func servedModels(region string, extra []string) []servedModel {
	var out []servedModel
	add := func(id, capability string) {
		vendor, _, _ := strings.Cut(id, ".")
		out = append(out, servedModel{id: id, ocid: modelOCID(region, id), vendor: vendor, capability: capability})
	}
	for _, m := range catalogue {
		for _, r := range m.regions {
			if r == region {
				add(m.id, m.capability)
			}
		}
	}
	for _, id := range extra {
		c := capChat
		if strings.HasPrefix(id, "cohere.embed") {
			c = capEmbeddings
		}
		add(id, c)
	}
	return out
}

// modelOCID is the stable OCID of a base model in a region, shaped like the service's
// (ocid1.generativeaimodel.oc1.<region>.amaaaaaa…). The real OCIDs differ; clients must not hard-code them.
func modelOCID(region, id string) string {
	sum := sha256.Sum256([]byte(region + "/" + id))
	return "ocid1.generativeaimodel.oc1." + region + ".amaaaaaa" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))[:52]
}
