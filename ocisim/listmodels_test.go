package ocisim_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"
	"github.com/oracle/oci-go-sdk/v65/generativeai"

	"github.com/ociai/ociai-proxy/ocisim"
)

// controlClient is the SDK's generated control-plane client pointed at the simulator.
func controlClient(t *testing.T, e *env) generativeai.GenerativeAiClient {
	t.Helper()
	c, err := generativeai.NewGenerativeAiClientWithConfigurationProvider(rawProvider(e.id, e.id.PrivateKeyPEM))
	if err != nil {
		t.Fatal(err)
	}
	atSimulator(&c.BaseClient, e)
	return c
}

// listAll pages through ListModels the way the SDK's callers do: following opc-next-page.
func listAll(t *testing.T, c generativeai.GenerativeAiClient, req generativeai.ListModelsRequest) ([]generativeai.ModelSummary, int) {
	t.Helper()
	var all []generativeai.ModelSummary
	pages := 0
	for {
		res, err := c.ListModels(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		all = append(all, res.Items...)
		if res.OpcNextPage == nil {
			return all, pages
		}
		req.Page = res.OpcNextPage
	}
}

func displayNames(items []generativeai.ModelSummary) []string {
	var names []string
	for _, m := range items {
		names = append(names, *m.DisplayName)
	}
	return names
}

func TestListModelsWithTheSDK(t *testing.T) {
	e := newEnv(t, ocisim.Options{Region: "us-phoenix-1", ExtraModels: []string{}})
	c := controlClient(t, e)
	items, pages := listAll(t, c, generativeai.ListModelsRequest{CompartmentId: common.String(compartment), Limit: common.Int(4)})
	names := displayNames(items)
	if pages < 3 || !slices.Contains(names, "xai.grok-3-mini-fast") || !slices.Contains(names, "google.gemini-2.5-flash") ||
		slices.Contains(names, "meta.llama-3.3-70b-instruct") || slices.Contains(names, "cohere.embed-v4.0") {
		t.Fatalf("us-phoenix-1 lists %v in %d pages", names, pages)
	}
	m := items[0]
	if m.Id == nil || m.LifecycleState != generativeai.ModelLifecycleStateActive || m.Type != generativeai.ModelTypeBase ||
		m.Vendor == nil || m.TimeCreated == nil || !slices.Equal(m.Capabilities, []generativeai.ModelCapabilityEnum{generativeai.ModelCapabilityChat}) {
		t.Errorf("summary %v", m)
	}
	for i := 1; i < len(items); i++ { // default order: timeCreated, newest first
		if items[i].TimeCreated.After(items[i-1].TimeCreated.Time) {
			t.Fatalf("not newest first at %d", i)
		}
	}

	// Filters: capability and display name.
	e2 := newEnv(t, ocisim.Options{})
	c2 := controlClient(t, e2)
	embeds, _ := listAll(t, c2, generativeai.ListModelsRequest{CompartmentId: common.String(compartment),
		Capability: []generativeai.ModelCapabilityEnum{generativeai.ModelCapabilityTextEmbeddings}, SortBy: generativeai.ListModelsSortByDisplayname})
	if names := displayNames(embeds); len(names) < 2 || names[0] != "cohere.embed-english-light-v3.0" || !slices.IsSorted(names) {
		t.Errorf("embedding models %v", names)
	}
	one, _ := listAll(t, c2, generativeai.ListModelsRequest{CompartmentId: common.String(compartment), DisplayName: common.String("xai.grok-4")})
	if len(one) != 1 || *one[0].Vendor != "xai" {
		t.Fatalf("displayName filter: %v", displayNames(one))
	}

	// The model OCID the listing gives works for inference too.
	status, body := e2.chat(generic(*one[0].Id, nil, userMsg("Hi")))
	if status != 200 || body["modelId"] != *one[0].Id {
		t.Errorf("chat by model OCID: %d %v", status, body)
	}
}

func TestListModelsErrors(t *testing.T) {
	e := newEnv(t, ocisim.Options{NoModelInspect: true})
	_, err := controlClient(t, e).ListModels(context.Background(), generativeai.ListModelsRequest{CompartmentId: common.String(compartment)})
	var se common.ServiceError
	if !errors.As(err, &se) || se.GetHTTPStatusCode() != 404 || se.GetCode() != "NotAuthorizedOrNotFound" || se.GetOpcRequestID() == "" {
		t.Fatalf("without inspect generative-ai-model: %v", err)
	}
	e = newEnv(t, ocisim.Options{})
	for _, query := range []string{"", "?compartmentId=" + compartment + "&limit=0", "?compartmentId=" + compartment + "&page=zz",
		"?compartmentId=" + compartment + "&sortBy=size"} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/20231130/models"+query, nil)
		req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
		if err := e.signer.Sign(req); err != nil {
			t.Fatal(err)
		}
		if res := e.do(req); res.StatusCode != 400 {
			t.Errorf("%q: status %d", query, res.StatusCode)
		}
	}
	if res := e.post("/20231130/models", map[string]any{}); res.StatusCode != 405 || res.Header.Get("Allow") != "GET" {
		t.Errorf("POST: %d Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
}

// TestModelsPerRegion: a model id the region does not serve on demand (or a typo) gets OCI's 404.
func TestModelsPerRegion(t *testing.T) {
	frankfurt := newEnv(t, ocisim.Options{Region: "eu-frankfurt-1"})
	for id, want := range map[string]int{"meta.llama-3.3-70b-instruct": 200, "openai.gpt-oss-120b": 200, "xai.grok-4": 404, "xai.grock-4": 404} {
		status, body := frankfurt.chat(generic(id, nil, userMsg("Hi")))
		if status != want {
			t.Errorf("%s in eu-frankfurt-1: %d %v", id, status, body)
		}
		if status == 404 && (body["code"] != "NotAuthorizedOrNotFound" || body["message"] != "Entity with key "+id+" not found") {
			t.Errorf("%s: 404 body %v", id, body)
		}
	}
	if got := ocisim.New(ocisim.Options{}).Region(); got != "us-chicago-1" {
		t.Errorf("default region %q", got)
	}
}
