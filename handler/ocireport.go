package handler

// ociReport is the answer of GET /test-oci: the check of the model's first target, and for a model served by
// several targets every target's check (Status is then ok only when all answered). Without the key it holds no
// key, OCID, URL or message text: the status, the regions, the timing, OCI's request ids and error codes, and
// counts of the model findings.
type ociReport struct {
	targetReport                // the first target's; Status is the whole check's
	Model        string         `json:"model,omitempty"`   // with the key
	Targets      []targetReport `json:"targets,omitempty"` // for a model with several targets
	Models       *modelsReport  `json:"models,omitempty"`
	Cached       bool           `json:"cached"` // the result of a check made less than checkTTL ago
	Note         string         `json:"note,omitempty"`
}

// targetReport is the chat call to one target.
type targetReport struct {
	Status       string  `json:"status"` // ok or error
	Region       string  `json:"region,omitempty"`
	Endpoint     string  `json:"endpoint,omitempty"`  // with the key
	OCIModel     string  `json:"oci_model,omitempty"` // with the key
	LatencyMS    float64 `json:"latency_ms"`
	OpcRequestID string  `json:"opc_request_id,omitempty"`
	HTTPStatus   int     `json:"http_status,omitempty"`
	Error        string  `json:"error,omitempty"` // the message with the key, the error code without
}

// modelsReport is the [MODELS] check as reported.
type modelsReport struct {
	Checked  int            `json:"checked"`
	Problems int            `json:"problems"`
	Error    string         `json:"error,omitempty"`   // why ListModels could not be used
	Results  []modelFinding `json:"results,omitempty"` // with the key
}

func (h *Handler) report(c *ociCheck, cached, detailed bool) ociReport {
	rep := ociReport{targetReport: targetReport{Region: h.opt.Region}, Cached: cached}
	for i, tc := range c.targets {
		tr := tc.report(detailed)
		if i == 0 {
			rep.targetReport = tr
		}
		if len(c.targets) > 1 {
			rep.Targets = append(rep.Targets, tr)
		}
	}
	rep.Status = "ok"
	if !c.ok() {
		rep.Status = "error"
	}
	if c.model.Name == "" {
		rep.Note = "no chat model is configured, so no chat call was made"
	}
	if m := c.models; m != nil {
		rep.Models = &modelsReport{Checked: len(m.results), Problems: m.problems, Error: m.code}
		if m.listErr != "" && m.code == "" {
			rep.Models.Error = "unavailable"
		}
	}
	if !detailed {
		if rep.Note == "" {
			rep.Note = "send the API key (Authorization: Bearer) for the details"
		}
		return rep
	}
	rep.Model = c.model.Name
	if m := c.models; m != nil {
		rep.Models.Error, rep.Models.Results = m.listErr, m.results
	}
	return rep
}

// report is the target's part of the report.
func (tc targetCheck) report(detailed bool) targetReport {
	tr := targetReport{Status: "ok", Region: tc.target.Region, LatencyMS: tc.latencyMS, OpcRequestID: tc.requestID}
	if tc.err != nil {
		tr.Status, tr.HTTPStatus, tr.Error = "error", tc.err.Status, tc.errorCode()
	}
	if detailed {
		tr.Endpoint, tr.OCIModel = tc.target.Endpoint, tc.target.Model
		if tc.err != nil {
			tr.Error = tc.err.Message
		}
	}
	return tr
}

// errorCode names a failed chat call without its message (which can hold OCIDs): the gateway's error code and,
// when OCI answered, OCI's, e.g. "oci_auth_error (NotAuthenticated)".
func (tc targetCheck) errorCode() string {
	if tc.ociCode == "" {
		return tc.err.Code
	}
	return tc.err.Code + " (" + tc.ociCode + ")"
}
