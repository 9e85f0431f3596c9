package ocisim_test

import (
	"testing"

	"github.com/ociai/ociai-proxy/ocisim"
)

// TestAlways: a simulator told to throttle answers every request so, after the queued faults, until told to stop.
func TestAlways(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	e.sim.Always(ocisim.Fault{Status: 429, RetryAfter: "7"})
	e.sim.Inject(ocisim.Fault{Status: 500})
	for i, want := range []int{500, 429, 429, 429} {
		resp := e.post("/20231130/actions/chat", helloBody)
		readAll(t, resp)
		if resp.StatusCode != want || want == 429 && resp.Header.Get("Retry-After") != "7" {
			t.Errorf("request %d: %d (Retry-After %q), want %d", i, resp.StatusCode, resp.Header.Get("Retry-After"), want)
		}
	}
	e.sim.Always(ocisim.Fault{})
	if status, _ := e.chat(helloBody); status != 200 {
		t.Errorf("after Always(Fault{}): %d", status)
	}
	e.sim.Always(ocisim.Fault{Status: 503})
	e.sim.Reset()
	if status, _ := e.chat(helloBody); status != 200 {
		t.Errorf("after Reset: %d", status)
	}
}

// TestRegion: one simulator plays one region: endpoints of other regions and models it does not offer (the
// catalogue: Phoenix serves Grok, not Llama 3.3 or the embed models) are not found, like on the service.
func TestRegion(t *testing.T) {
	e := newEnv(t, ocisim.Options{Region: "us-phoenix-1"})
	dedicated := func(id string) map[string]any {
		b := generic("", nil, userMsg("hi"))
		b["servingMode"] = map[string]any{"servingType": "DEDICATED", "endpointId": id}
		return b
	}
	for _, tc := range []struct {
		name   string
		body   map[string]any
		path   string
		status int
	}{
		{"offered", generic("xai.grok-4", nil, userMsg("hi")), "chat", 200},
		{"not offered", generic("meta.llama-3.3-70b-instruct", nil, userMsg("hi")), "chat", 404},
		{"endpoint here", dedicated("ocid1.generativeaiendpoint.oc1.us-phoenix-1.amaaaaaahere"), "chat", 200},
		{"endpoint here, short key", dedicated("ocid1.generativeaiendpoint.oc1.phx.amaaaaaahere"), "chat", 200},
		{"endpoint elsewhere", dedicated("ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaathere"), "chat", 404},
		{"embed not offered", embedBody("cohere.embed-v4.0", map[string]any{"inputs": []string{"a"}}), "embedText", 404},
	} {
		status, out := e.call("/20231130/actions/"+tc.path, tc.body)
		if status != tc.status || status == 404 && out["code"] != "NotAuthorizedOrNotFound" {
			t.Errorf("%s: %d %v, want %d", tc.name, status, out, tc.status)
		}
	}
}
