package config

import (
	"strings"
	"testing"
)

func TestParseModel(t *testing.T) {
	for _, tc := range []struct {
		name, spec string
		want       Model
		err        string
	}{
		{"grok-4", "xai.grok-4", Model{"grok-4", "xai.grok-4", "GENERIC", false}, ""},
		{"llama", "meta.llama-3.3-70b-instruct", Model{"llama", "meta.llama-3.3-70b-instruct", "GENERIC", false}, ""},
		{"gem", "google.gemini-2.5-flash", Model{"gem", "google.gemini-2.5-flash", "GENERIC", false}, ""},
		{"oss", "openai.gpt-oss-120b", Model{"oss", "openai.gpt-oss-120b", "GENERIC", false}, ""},
		{"cmd", "cohere.command-a-03-2025", Model{"cmd", "cohere.command-a-03-2025", "COHERE", false}, ""},
		{"cmdr", "cohere.command-r-08-2024", Model{"cmdr", "cohere.command-r-08-2024", "COHERE", false}, ""},
		{"vis", "cohere.command-a-vision-07-2025", Model{"vis", "cohere.command-a-vision-07-2025", "COHEREV2", false}, ""},
		{"vis2", "cohere.command-a-vision", Model{"vis2", "cohere.command-a-vision", "COHEREV2", false}, ""},
		{"emb", "cohere.embed-v4.0", Model{"emb", "cohere.embed-v4.0", "EMBED", false}, ""},
		{"emb3", "cohere.embed-multilingual-light-v3.0", Model{"emb3", "cohere.embed-multilingual-light-v3.0", "EMBED", false}, ""},
		{"ovr", "cohere.command-a-03-2025 cohereV2", Model{"ovr", "cohere.command-a-03-2025", "COHEREV2", false}, ""},
		{"ovr2", "  xai.grok-4\tGENERIC ", Model{"ovr2", "xai.grok-4", "GENERIC", false}, ""},
		{"emb-ovr", "my.embedder embed", Model{"emb-ovr", "my.embedder", "EMBED", false}, ""},
		{"ded", "ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaabc", Model{"ded", "ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaabc", "GENERIC", true}, ""},
		{"ded-c", "ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaabc COHERE", Model{"ded-c", "ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaabc", "COHERE", true}, ""},
		{"model-ocid", "ocid1.generativeaimodel.oc1.us-chicago-1.amaaaaaabc", Model{"model-ocid", "ocid1.generativeaimodel.oc1.us-chicago-1.amaaaaaabc", "GENERIC", false}, ""},
		{"bad", "xai.grok-4 TEXT", Model{}, `unknown format "TEXT"`},
		{"empty", "", Model{}, "no OCI model id"},
		{"words", "a b c", Model{}, "has 3 words"},
		{"sp ace", "xai.grok-4", Model{}, "without spaces"},
		{"ph", "ocid1.generativeaiendpoint.oc1.us-chicago-1.<unique_ID>", Model{}, "placeholder"},
	} {
		m, err := parseModel(tc.name, tc.spec)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseModel(%q, %q) err = %v, want %q", tc.name, tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil || m != tc.want {
			t.Errorf("parseModel(%q, %q) = %+v, %v; want %+v", tc.name, tc.spec, m, err, tc.want)
		}
	}
}

func TestEndpointRegion(t *testing.T) {
	for id, want := range map[string]string{
		"ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaa": "us-chicago-1",
		"ocid1.generativeaiendpoint.oc1.iad.amaaaa":          "us-ashburn-1", // short region key
		"ocid1.generativeaiendpoint.oc1.zzz.amaaaa":          "",             // unknown: not checked
		"ocid1.generativeaiendpoint.oc1..amaaaa":             "",
		"xai.grok-4":                                         "",
	} {
		m := Model{ID: id, Dedicated: strings.HasPrefix(id, endpointOCIDPrefix)}
		if got := endpointRegion(m); got != want {
			t.Errorf("endpointRegion(%s) = %q, want %q", id, got, want)
		}
	}
}
