package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseModel(t *testing.T) {
	const ded = "ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaabc"
	one := func(id string, f Format, dedicated bool) []Target {
		return []Target{{ID: id, Format: f, Dedicated: dedicated}}
	}
	for _, tc := range []struct {
		name, spec string
		want       []Target
		err        string
	}{
		{"grok-4", "xai.grok-4", one("xai.grok-4", "GENERIC", false), ""},
		{"llama", "meta.llama-3.3-70b-instruct", one("meta.llama-3.3-70b-instruct", "GENERIC", false), ""},
		{"gem", "google.gemini-2.5-flash", one("google.gemini-2.5-flash", "GENERIC", false), ""},
		{"oss", "openai.gpt-oss-120b", one("openai.gpt-oss-120b", "GENERIC", false), ""},
		{"cmd", "cohere.command-a-03-2025", one("cohere.command-a-03-2025", "COHERE", false), ""},
		{"cmdr", "cohere.command-r-08-2024", one("cohere.command-r-08-2024", "COHERE", false), ""},
		{"vis", "cohere.command-a-vision-07-2025", one("cohere.command-a-vision-07-2025", "COHEREV2", false), ""},
		{"vis2", "cohere.command-a-vision", one("cohere.command-a-vision", "COHEREV2", false), ""},
		{"emb", "cohere.embed-v4.0", one("cohere.embed-v4.0", "EMBED", false), ""},
		{"emb3", "cohere.embed-multilingual-light-v3.0", one("cohere.embed-multilingual-light-v3.0", "EMBED", false), ""},
		{"ovr", "cohere.command-a-03-2025 cohereV2", one("cohere.command-a-03-2025", "COHEREV2", false), ""},
		{"ovr2", "  xai.grok-4\tGENERIC ", one("xai.grok-4", "GENERIC", false), ""},
		{"emb-ovr", "my.embedder embed", one("my.embedder", "EMBED", false), ""},
		{"ded", ded, one(ded, "GENERIC", true), ""},
		{"ded-c", ded + " COHERE", one(ded, "COHERE", true), ""},
		{"model-ocid", "ocid1.generativeaimodel.oc1.us-chicago-1.amaaaaaabc", one("ocid1.generativeaimodel.oc1.us-chicago-1.amaaaaaabc", "GENERIC", false), ""},
		{"at", "xai.grok-4@us-phoenix-1", []Target{{ID: "xai.grok-4", Region: "us-phoenix-1", Format: "GENERIC"}}, ""},
		{"list", "xai.grok-4@us-chicago-1, xai.grok-4@phx ,cohere.command-a-03-2025 COHEREV2", []Target{
			{ID: "xai.grok-4", Region: "us-chicago-1", Format: "GENERIC"},
			{ID: "xai.grok-4", Region: "phx", Format: "GENERIC"},
			{ID: "cohere.command-a-03-2025", Format: "COHEREV2"},
		}, ""},
		{"ded-list", ded + " COHERE, ocid1.generativeaiendpoint.oc1.phx.amaaaaaaxy COHERE", []Target{
			{ID: ded, Format: "COHERE", Dedicated: true},
			{ID: "ocid1.generativeaiendpoint.oc1.phx.amaaaaaaxy", Format: "COHERE", Dedicated: true},
		}, ""},
		{"bad", "xai.grok-4 TEXT", nil, `unknown format "TEXT"`},
		{"empty", "", nil, "no OCI model id"},
		{"words", "a b c", nil, "has 3 words"},
		{"sp ace", "xai.grok-4", nil, "without spaces"},
		{"at@", "xai.grok-4", nil, "'@'"},
		{"ph", "ocid1.generativeaiendpoint.oc1.us-chicago-1.<unique_ID>", nil, "placeholder"},
		{"no-region", "xai.grok-4@", nil, `"xai.grok-4@" is not`},
		{"no-id", "@us-chicago-1", nil, "is not `<model id>@<region>`"},
		{"two-ats", "xai.grok-4@a@b", nil, "is not `<model id>@<region>`"},
		{"hole", "xai.grok-4,,xai.grok-3", nil, "empty target between commas"},
		{"trailing", "xai.grok-4,", nil, "empty target between commas"},
	} {
		m, err := parseModel(tc.name, tc.spec)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseModel(%q, %q) err = %v, want %q", tc.name, tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil || m.Name != tc.name || !reflect.DeepEqual(m.Targets, tc.want) {
			t.Errorf("parseModel(%q, %q) = %+v, %v; want %+v", tc.name, tc.spec, m, err, tc.want)
		}
	}
}

func TestPlaceTarget(t *testing.T) {
	c := &Config{Region: "us-chicago-1", Endpoint: "https://inference.generativeai.us-chicago-1.oci.oraclecloud.com",
		Endpoints: map[string]string{"xx-private-1": "https://genai.private.example"}}
	for _, tc := range []struct {
		id, at, want, err string
	}{
		{"xai.grok-4", "", "us-chicago-1", ""},
		{"xai.grok-4", "us-phoenix-1", "us-phoenix-1", ""},
		{"xai.grok-4", "PHX", "us-phoenix-1", ""},
		{"xai.grok-4", "xx-private-1", "xx-private-1", ""},
		{"xai.grok-4", "us-nowhere-9", "", `unknown region "us-nowhere-9" in "xai.grok-4@us-nowhere-9"`},
		{"ocid1.generativeaiendpoint.oc1.us-ashburn-1.amaaaa", "", "us-ashburn-1", ""},
		{"ocid1.generativeaiendpoint.oc1.iad.amaaaa", "", "us-ashburn-1", ""}, // short region key
		{"ocid1.generativeaiendpoint.oc1.iad.amaaaa", "us-ashburn-1", "us-ashburn-1", ""},
		{"ocid1.generativeaiendpoint.oc1.iad.amaaaa", "us-phoenix-1", "", "is in us-ashburn-1, not us-phoenix-1"},
		{"ocid1.generativeaiendpoint.oc1.xx-private-1.amaaaa", "", "xx-private-1", ""},
		{"ocid1.generativeaiendpoint.oc1.zzz.amaaaa", "", "us-chicago-1", ""}, // unplaceable: the default region
		{"ocid1.generativeaiendpoint.oc1..amaaaa", "", "us-chicago-1", ""},
	} {
		tg := Target{ID: tc.id, Region: tc.at, Dedicated: strings.HasPrefix(tc.id, endpointOCIDPrefix)}
		msg := c.placeTarget(&tg)
		if tc.err != "" {
			if !strings.Contains(msg, tc.err) {
				t.Errorf("%s@%s: %q, want %q", tc.id, tc.at, msg, tc.err)
			}
			continue
		}
		if msg != "" || tg.Region != tc.want {
			t.Errorf("%s@%s: region %q (%s), want %q", tc.id, tc.at, tg.Region, msg, tc.want)
		}
	}
}

func TestEndpointFor(t *testing.T) {
	c := &Config{Region: "us-chicago-1", Endpoint: "http://127.0.0.1:1", Endpoints: map[string]string{"us-phoenix-1": "http://127.0.0.1:2"}}
	for region, want := range map[string]string{
		"":                "http://127.0.0.1:1",
		"us-chicago-1":    "http://127.0.0.1:1",
		"us-phoenix-1":    "http://127.0.0.1:2",
		"us-ashburn-1":    "https://inference.generativeai.us-ashburn-1.oci.oraclecloud.com",
		"uk-gov-london-1": "https://inference.generativeai.uk-gov-london-1.oci.oraclegovcloud.uk",
		"xx-unknown-1":    "",
	} {
		if got := c.EndpointFor(region); got != want {
			t.Errorf("EndpointFor(%q) = %q, want %q", region, got, want)
		}
	}
}
