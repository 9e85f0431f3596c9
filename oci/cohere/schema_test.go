package cohere

import (
	"encoding/json"
	"testing"

	"github.com/ociai/ociai-proxy/internal/jsontest"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

// TestParameterDefinitions is the JSON schema → Cohere parameter
// table: one property schema in, one definition out (or a rejection).
func TestParameterDefinitions(t *testing.T) {
	tests := []struct {
		name, prop string
		want       string // CohereParameterDefinition JSON; "" when rejected
		errParam   string // the RequestError's Param, relative to the property
	}{
		{"string", `{"type":"string","description":"City"}`, `{"type":"str","description":"City","isRequired":false}`, ""},
		{"integer", `{"type":"integer"}`, `{"type":"int","isRequired":false}`, ""},
		{"number", `{"type":"number"}`, `{"type":"float","isRequired":false}`, ""},
		{"boolean", `{"type":"boolean"}`, `{"type":"bool","isRequired":false}`, ""},
		{"array of strings", `{"type":"array","items":{"type":"string"}}`, `{"type":"List[str]","isRequired":false}`, ""},
		{"array of integers", `{"type":"array","items":{"type":"integer"}}`, `{"type":"List[int]","isRequired":false}`, ""},
		{"array of arrays", `{"type":"array","items":{"type":"array","items":{"type":"number"}}}`, `{"type":"List[List[float]]","isRequired":false}`, ""},
		{"array without items", `{"type":"array"}`, `{"type":"list","isRequired":false}`, ""},
		{"array of mixed items", `{"type":"array","items":{"anyOf":[{"type":"string"},{"type":"integer"}]}}`,
			`{"type":"list","description":"Items: {\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}","isRequired":false}`, ""},
		{"array of objects", `{"type":"array","description":"Rows","items":{"type":"object","properties":{"id":{"type":"integer"}}}}`,
			`{"type":"List[dict]","description":"Rows (items: {\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}}})","isRequired":false}`, ""},
		{"object with properties", `{"type":"object","description":"Address","properties":{"street":{"type":"string"}},"required":["street"]}`,
			`{"type":"dict","description":"Address (object with JSON schema {\"type\":\"object\",\"properties\":{\"street\":{\"type\":\"string\"}},\"required\":[\"street\"]})","isRequired":false}`, ""},
		{"free object", `{"type":"object"}`, `{"type":"dict","isRequired":false}`, ""},
		{"enum", `{"type":"string","enum":["C","F"],"description":"Unit"}`, `{"type":"str","description":"Unit (allowed values: C, F)","isRequired":false}`, ""},
		{"integer enum", `{"type":"integer","enum":[1,2]}`, `{"type":"int","description":"Allowed values: 1, 2","isRequired":false}`, ""},
		{"untyped enum", `{"enum":["a","b"]}`, `{"type":"str","description":"Allowed values: a, b","isRequired":false}`, ""},
		{"untyped numeric enum", `{"enum":[1,2.5]}`, `{"type":"float","description":"Allowed values: 1, 2.5","isRequired":false}`, ""},
		{"const", `{"const":"x"}`, `{"type":"str","description":"Must be x","isRequired":false}`, ""},
		{"format, range, pattern", `{"type":"string","format":"date","pattern":"^\\d+$"}`, `{"type":"str","description":"Format: date; pattern: ^\\d+$","isRequired":false}`, ""},
		{"range", `{"type":"number","minimum":0,"maximum":1,"exclusiveMaximum":2}`, `{"type":"float","description":"Range: min 0, max 1, exclusive max 2","isRequired":false}`, ""},
		{"untyped", `{"description":"anything"}`, `{"type":"str","description":"anything","isRequired":false}`, ""},
		{"untyped with properties", `{"properties":{}}`, `{"type":"dict","description":"Object with JSON schema {\"type\":\"object\",\"properties\":{}}","isRequired":false}`, ""},
		{"nullable type list", `{"type":["string","null"]}`, `{"type":"str","isRequired":false}`, ""},
		{"Optional via anyOf", `{"anyOf":[{"type":"integer"},{"type":"null"}],"description":"Count"}`, `{"type":"int","description":"Count","isRequired":false}`, ""},
		{"anyOf of one type merges enums", `{"anyOf":[{"type":"string","enum":["a"]},{"type":"string","enum":["b"]}]}`, `{"type":"str","description":"Allowed values: a, b","isRequired":false}`, ""},
		{"oneOf", `{"oneOf":[{"type":"number"},{"type":"null"}]}`, `{"type":"float","isRequired":false}`, ""},
		{"allOf with one schema", `{"allOf":[{"type":"boolean"}],"description":"Flag"}`, `{"type":"bool","description":"Flag","isRequired":false}`, ""},
		{"local $ref", `{"$ref":"#/$defs/Unit","description":"Which unit"}`, `{"type":"str","description":"Which unit (allowed values: C, F)","isRequired":false}`, ""},
		{"definitions $ref", `{"$ref":"#/definitions/Point"}`, `{"type":"dict","description":"Object with JSON schema {\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"number\"}}}","isRequired":false}`, ""},
		{"anyOf of mixed types", `{"anyOf":[{"type":"string"},{"type":"integer"}]}`, "", ""},
		{"oneOf of mixed types", `{"oneOf":[{"type":"object"},{"type":"array"}]}`, "", ""},
		{"type list of mixed types", `{"type":["string","integer"]}`, "", ".type"},
		{"only null", `{"type":"null"}`, "", ".type"},
		{"anyOf only null", `{"anyOf":[{"type":"null"}]}`, "", ""},
		{"unknown type", `{"type":"date"}`, "", ".type"},
		{"type not a string", `{"type":5}`, "", ".type"},
		{"remote $ref", `{"$ref":"https://example.com/s.json"}`, "", ""},
		{"missing $ref", `{"$ref":"#/$defs/Nope"}`, "", ""},
		{"recursive $ref", `{"$ref":"#/$defs/Loop"}`, "", ""},
		{"allOf of several", `{"allOf":[{"type":"string"},{"minLength":1}]}`, "", ""},
		{"not a schema", `"string"`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := `{"type":"object","properties":{"p":` + tt.prop + `},
				"$defs":{"Unit":{"type":"string","enum":["C","F"]},"Loop":{"$ref":"#/$defs/Loop"}},
				"definitions":{"Point":{"type":"object","properties":{"x":{"type":"number"}}}}}`
			defs, err := parameterDefinitions(json.RawMessage(params), "tools[3].function.parameters")
			if tt.want == "" {
				if err == nil {
					t.Fatalf("accepted: %s", jsontest.Marshal(t, defs))
				}
				if p, want := ocitest.RequestErrParam(t, err), "tools[3].function.parameters.properties.p"+tt.errParam; p != want {
					t.Errorf("param = %q, want %q", p, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			jsontest.Assert(t, defs["p"], tt.want)
		})
	}
}

func TestParameterDefinitionsTop(t *testing.T) {
	ok := []struct{ in, want string }{
		{`null`, `null`},
		{`{"type":"object"}`, `null`},
		{`{"properties":{"a":{"type":"string"}},"required":["a","zzz"]}`, `{"a":{"type":"str","isRequired":true}}`},
		{`{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"boolean"}},"required":["b"],"additionalProperties":false}`,
			`{"a":{"type":"str","isRequired":false},"b":{"type":"bool","isRequired":true}}`},
	}
	for _, tt := range ok {
		defs, err := parameterDefinitions(json.RawMessage(tt.in), "p")
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		jsontest.Assert(t, defs, tt.want)
	}
	bad := []struct{ in, param string }{
		{`[]`, "p"},
		{`"x"`, "p"},
		{`{"type":"array"}`, "p.type"},
		{`{"type":["object","null"]}`, "p.type"},
		{`{"anyOf":[{"type":"object"}]}`, "p"},
		{`{"$ref":"#/$defs/A","$defs":{"A":{"type":"object"}}}`, "p"},
		{`{"properties":[]}`, "p.properties"},
		{`{"properties":{},"required":"a"}`, "p.required"},
		{`{"properties":{},"$defs":[]}`, "p"},
		// exponential $ref/anyOf fan-out is cut off, not expanded
		{`{"properties":{"q":{"$ref":"#/$defs/L"}},"$defs":{"L":{"anyOf":[{"$ref":"#/$defs/L"},{"$ref":"#/$defs/L"},{"$ref":"#/$defs/L"},{"$ref":"#/$defs/L"},{"$ref":"#/$defs/L"},{"$ref":"#/$defs/L"},{"$ref":"#/$defs/L"},{"$ref":"#/$defs/L"}]}}}`, "p.properties.q"},
	}
	for _, tt := range bad {
		_, err := parameterDefinitions(json.RawMessage(tt.in), "p")
		if err == nil {
			t.Errorf("%s accepted", tt.in)
			continue
		}
		if p := ocitest.RequestErrParam(t, err); p != tt.param {
			t.Errorf("%s: param %q, want %q", tt.in, p, tt.param)
		}
	}
}
