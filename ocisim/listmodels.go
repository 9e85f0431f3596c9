package ocisim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// modelSummary is the control plane's ModelSummary for a base (pretrained) model, with the fields a real
// listing shows for one (an `oci generative-ai model-collection list-models` output: compartmentId null,
// empty tag maps, type BASE). UNCONFIRMED: lifecycleDetails, version and timeCreated differ per model
// in the service; absent optional fields (baseModelId, fineTuneDetails, modelMetrics, time*Retired) are
// left out rather than sent as null.
type modelSummary struct {
	ID               string                    `json:"id"`
	CompartmentID    *string                   `json:"compartmentId"`
	Capabilities     []string                  `json:"capabilities"`
	LifecycleState   string                    `json:"lifecycleState"`
	LifecycleDetails string                    `json:"lifecycleDetails"`
	DisplayName      string                    `json:"displayName"`
	Vendor           string                    `json:"vendor"`
	Version          string                    `json:"version"`
	TimeCreated      string                    `json:"timeCreated"`
	Type             string                    `json:"type"`
	FreeformTags     map[string]string         `json:"freeformTags"`
	DefinedTags      map[string]map[string]any `json:"definedTags"`
	SystemTags       map[string]map[string]any `json:"systemTags"`
}

// catalogueEpoch dates the simulated models: model i was created i hours after it.
var catalogueEpoch = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)

// listModels handles GET /20231130/models (ListModels of the control plane, host generativeai.<region>…;
// the simulator serves it beside the inference routes). It lists the base models the region serves on
// demand, filtered by the query, sorted (default timeCreated, newest first) and paged with limit, page and
// the opc-next-page header. Faults apply as to every authenticated call.
func (s *Simulator) listModels(x *exchange) {
	q := x.r.URL.Query()
	if s.opts.NoModelInspect {
		x.fail(http.StatusNotFound, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.")
		return
	}
	compartment := q.Get("compartmentId")
	if e := checkCompartment(&compartment); e != nil {
		x.failAPI(e)
		return
	}
	items, e := s.filterModels(q.Get("vendor"), q["capability"], q.Get("lifecycleState"), q.Get("displayName"), q.Get("id"))
	if e == nil {
		e = sortModels(items, q.Get("sortBy"), q.Get("sortOrder"))
	}
	if e != nil {
		x.failAPI(e)
		return
	}
	page, next, e := pageOf(items, q.Get("limit"), q.Get("page"), s.opts.ModelsPageSize)
	if e != nil {
		x.failAPI(e)
		return
	}
	if next != "" {
		x.w.Header().Set("opc-next-page", next)
	}
	x.writeJSON(struct {
		Items []modelSummary `json:"items"`
	}{page})
}

func (s *Simulator) filterModels(vendor string, capabilities []string, state, name, id string) ([]modelSummary, *apiError) {
	for _, c := range capabilities {
		if !slices.Contains([]string{"TEXT_GENERATION", "TEXT_SUMMARIZATION", capEmbeddings, "FINE_TUNE", capChat, "TEXT_RERANK"}, c) {
			return nil, badRequest("Invalid capability " + c + ".")
		}
	}
	if state != "" && !slices.Contains([]string{"ACTIVE", "CREATING", "DELETING", "DELETED", "FAILED"}, state) {
		return nil, badRequest("Invalid lifecycleState " + state + ".")
	}
	items := []modelSummary{}
	for i, m := range s.models {
		switch {
		case vendor != "" && m.vendor != vendor, name != "" && m.id != name, id != "" && m.ocid != id,
			state != "" && state != "ACTIVE", len(capabilities) > 0 && !slices.Contains(capabilities, m.capability):
			continue
		}
		items = append(items, modelSummary{
			ID: m.ocid, Capabilities: []string{m.capability}, LifecycleState: "ACTIVE", LifecycleDetails: "Base model created",
			DisplayName: m.id, Vendor: m.vendor, Version: modelVersion, Type: "BASE",
			TimeCreated:  timeCreated(catalogueEpoch.Add(time.Duration(i) * time.Hour)),
			FreeformTags: map[string]string{}, DefinedTags: map[string]map[string]any{}, SystemTags: map[string]map[string]any{},
		})
	}
	return items, nil
}

// sortModels orders by sortBy (displayName ascending, timeCreated descending by default) and sortOrder.
func sortModels(items []modelSummary, by, order string) *apiError {
	desc := true
	switch by {
	case "", "timeCreated":
		by = "timeCreated"
	case "displayName", "lifecycleState":
		desc = false
	default:
		return badRequest("Invalid sortBy " + by + "; allowed values: displayName, lifecycleState, timeCreated.")
	}
	switch order {
	case "":
	case "ASC", "DESC":
		desc = order == "DESC"
	default:
		return badRequest("Invalid sortOrder " + order + "; allowed values: ASC, DESC.")
	}
	key := func(m modelSummary) string {
		switch by {
		case "displayName":
			return m.DisplayName
		case "lifecycleState":
			return m.LifecycleState
		}
		return m.TimeCreated
	}
	slices.SortStableFunc(items, func(a, b modelSummary) int {
		if desc {
			a, b = b, a
		}
		return strings.Compare(key(a), key(b))
	})
	return nil
}

// pageOf cuts one page out of items. Page tokens are opaque to clients; here they are the offset.
func pageOf(items []modelSummary, limit, page string, def int) ([]modelSummary, string, *apiError) {
	n := def
	if limit != "" {
		v, err := strconv.Atoi(limit)
		if err != nil || v < 1 || v > 1000 {
			return nil, "", badRequest("Invalid limit " + limit + "; it must be an integer from 1 to 1000.")
		}
		n = v
	}
	from := 0
	if page != "" {
		v, err := strconv.Atoi(strings.TrimPrefix(page, "p"))
		if err != nil || !strings.HasPrefix(page, "p") || v < 0 || v > len(items) {
			return nil, "", badRequest("Invalid page token.")
		}
		from = v
	}
	to := min(from+n, len(items))
	next := ""
	if to < len(items) {
		next = "p" + strconv.Itoa(to)
	}
	return items[from:to], next, nil
}
