package translator

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestRawKinds(t *testing.T) {
	var req ChatRequest
	in := `{"logit_bias":{"1":2},"metadata":null,"audio":{"voice":"x"},"functions":[{"name":"f"}],"function_call":"auto",` +
		`"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],` +
		`"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"object"}}}}`
	if err := json.Unmarshal([]byte(in), &req); err != nil {
		t.Fatal(err)
	}
	if string(req.LogitBias) != `{"1":2}` || !isNull(req.Metadata) || string(req.Functions) != `[{"name":"f"}]` ||
		string(req.FunctionCall) != `"auto"` || string(req.Tools[0].Function.Parameters) != `{"type":"object"}` ||
		string(req.ResponseFormat.JSONSchema.Schema) != `{"type":"object"}` {
		t.Fatalf("decoded %+v", req)
	}
	out, err := json.Marshal(struct {
		A RawObject `json:"a"`
		B RawArray  `json:"b,omitempty"`
		C RawChoice `json:"c"`
	}{A: req.LogitBias, C: req.FunctionCall})
	if err != nil || string(out) != `{"a":{"1":2},"c":"auto"}` {
		t.Fatalf("marshal %s %v", out, err)
	}
	for body, field := range map[string]string{
		`{"logit_bias":[1]}`:                               "logit_bias",
		`{"metadata":"m"}`:                                 "metadata",
		`{"functions":{}}`:                                 "functions",
		`{"function_call":true}`:                           "function_call",
		`{"tools":[{"function":{"parameters":"{}"}}]}`:     "tools.function.parameters",
		`{"response_format":{"json_schema":{"schema":1}}}`: "response_format.json_schema.schema",
		`{"audio":3}`:                                      "audio",
	} {
		var te *json.UnmarshalTypeError
		if err := json.Unmarshal([]byte(body), new(ChatRequest)); !errors.As(err, &te) || te.Field != field {
			t.Errorf("%s: %v (field %v)", body, err, te)
		}
	}
}
