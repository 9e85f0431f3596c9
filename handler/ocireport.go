package handler

// ociReport is the answer of GET /test-oci. Without the key it holds no key, OCID, URL or message text: the
// status, the region, the timing, OCI's request id and error code, and counts of the model findings.
type ociReport struct {
	Status       string        `json:"status"` // ok or error
	Region       string        `json:"region,omitempty"`
	Endpoint     string        `json:"endpoint,omitempty"`  // with the key
	Model        string        `json:"model,omitempty"`     // with the key
	OCIModel     string        `json:"oci_model,omitempty"` // with the key
	LatencyMS    float64       `json:"latency_ms"`
	OpcRequestID string        `json:"opc_request_id,omitempty"`
	HTTPStatus   int           `json:"http_status,omitempty"`
	Error        string        `json:"error,omitempty"` // the message with the key, the error code without
	Models       *modelsReport `json:"models,omitempty"`
	Cached       bool          `json:"cached"` // the result of a check made less than checkTTL ago
	Note         string        `json:"note,omitempty"`
}

// modelsReport is the [MODELS] check as reported.
type modelsReport struct {
	Checked  int            `json:"checked"`
	Problems int            `json:"problems"`
	Error    string         `json:"error,omitempty"`   // why ListModels could not be used
	Results  []modelFinding `json:"results,omitempty"` // with the key
}

func (h *Handler) report(c *ociCheck, cached, detailed bool) ociReport {
	rep := ociReport{Status: "ok", Region: h.opt.Region, LatencyMS: c.latencyMS, OpcRequestID: c.requestID, Cached: cached}
	if !c.ok() {
		rep.Status = "error"
	}
	if c.err != nil {
		rep.HTTPStatus, rep.Error = c.err.Status, errorCode(c)
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
	rep.Endpoint, rep.Model, rep.OCIModel = h.oci.Endpoint(), c.model.Name, c.model.ID
	if c.err != nil {
		rep.Error = c.err.Message
	}
	if m := c.models; m != nil {
		rep.Models.Error, rep.Models.Results = m.listErr, m.results
	}
	return rep
}

// errorCode names a failed chat call without its message (which can hold OCIDs): the gateway's error code and,
// when OCI answered, OCI's, e.g. "oci_auth_error (NotAuthenticated)".
func errorCode(c *ociCheck) string {
	if c.ociCode == "" {
		return c.err.Code
	}
	return c.err.Code + " (" + c.ociCode + ")"
}
