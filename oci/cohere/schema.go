package cohere

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// COHERE (V1) tools: JSON-schema parameters become flat parameterDefinitions with Python type names (str, int,
// float, bool, List[str], list, dict). What the flat form cannot hold (enum values, formats, ranges, nested object
// schemas) is appended to the parameter's description, as litellm and langchain-oracle do. Schemas that have no
// single Cohere type (anyOf/oneOf of different types, unresolvable $ref) are rejected with a RequestError naming
// the property.

// schema is the subset of JSON Schema that maps to a Cohere parameter.
type schema struct {
	Type        json.RawMessage   `json:"type"`
	Description string            `json:"description"`
	Enum        []json.RawMessage `json:"enum"`
	Const       json.RawMessage   `json:"const"`
	Format      string            `json:"format"`
	Pattern     string            `json:"pattern"`
	Minimum     json.RawMessage   `json:"minimum"`
	Maximum     json.RawMessage   `json:"maximum"`
	ExclMinimum json.RawMessage   `json:"exclusiveMinimum"`
	ExclMaximum json.RawMessage   `json:"exclusiveMaximum"`
	Items       json.RawMessage   `json:"items"`
	Properties  json.RawMessage   `json:"properties"`
	Required    json.RawMessage   `json:"required"`
	Ref         string            `json:"$ref"`
	AnyOf       []json.RawMessage `json:"anyOf"`
	OneOf       []json.RawMessage `json:"oneOf"`
	AllOf       []json.RawMessage `json:"allOf"`
	Defs        json.RawMessage   `json:"$defs"`
	Definitions json.RawMessage   `json:"definitions"`
}

// schemaDefs are the local definitions $ref can point to, plus a budget of
// schema nodes one property may resolve: $ref/anyOf can fan out
// exponentially.
type schemaDefs struct {
	m      map[string]json.RawMessage
	budget int
}

const schemaBudget = 2000

// parameterDefinitions converts a function's parameters schema
// (param names it in errors, e.g. "tools[0].function.parameters").
func parameterDefinitions(params json.RawMessage, param string) (map[string]ParameterDefinition, error) {
	if core.IsNull(params) {
		return nil, nil
	}
	var top schema
	if err := json.Unmarshal(params, &top); err != nil || bytes.TrimSpace(params)[0] != '{' {
		return nil, hub.BadRequest(param, "'"+param+"' must be a JSON schema object.")
	}
	defs := &schemaDefs{m: map[string]json.RawMessage{}}
	for _, raw := range []json.RawMessage{top.Definitions, top.Defs} {
		if !core.IsNull(raw) {
			var m map[string]json.RawMessage
			if json.Unmarshal(raw, &m) != nil {
				return nil, hub.BadRequest(param, "'"+param+"' has invalid $defs/definitions: expected an object of schemas.")
			}
			for k, v := range m {
				defs.m[k] = v
			}
		}
	}
	if top.Ref != "" || len(top.AnyOf) > 0 || len(top.OneOf) > 0 || len(top.AllOf) > 0 {
		return nil, hub.BadRequest(param, "'"+param+"' must be a plain object schema with 'properties' for Cohere models ($ref, anyOf, oneOf and allOf are not supported at the top level).")
	}
	if types, err := schemaTypes(top.Type); err != nil || len(types) > 1 || (len(types) == 1 && types[0] != "object") {
		return nil, hub.BadRequest(param+".type", "'"+param+".type' must be \"object\": Cohere tools take named parameters.")
	}
	if core.IsNull(top.Properties) {
		return nil, nil
	}
	var props map[string]json.RawMessage
	if json.Unmarshal(top.Properties, &props) != nil {
		return nil, hub.BadRequest(param+".properties", "'"+param+".properties' must be an object of schemas.")
	}
	required, err := requiredList(top.Required, param)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	slices.Sort(names) // deterministic errors
	out := make(map[string]ParameterDefinition, len(props))
	for _, name := range names {
		d, err := parameterDefinition(props[name], defs, param+".properties."+name)
		if err != nil {
			return nil, err
		}
		d.IsRequired = slices.Contains(required, name)
		out[name] = d
	}
	return out, nil
}

func requiredList(raw json.RawMessage, param string) ([]string, error) {
	if core.IsNull(raw) {
		return nil, nil
	}
	var req []string
	if json.Unmarshal(raw, &req) != nil {
		return nil, hub.BadRequest(param+".required", "'"+param+".required' must be an array of property names.")
	}
	return req, nil
}

// parameterDefinition converts one property schema.
func parameterDefinition(raw json.RawMessage, defs *schemaDefs, param string) (ParameterDefinition, error) {
	defs.budget = schemaBudget
	s, err := resolveSchema(raw, defs, param, 0)
	if err != nil {
		return ParameterDefinition{}, err
	}
	typ, base, err := typeOf(&s, defs, param, 0)
	if err != nil {
		return ParameterDefinition{}, err
	}
	return ParameterDefinition{Type: typ, Description: describe(&s, base, defs)}, nil
}

const maxSchemaDepth = 16

// resolveSchema decodes a property schema and reduces $ref (local
// definitions), allOf with one member, and anyOf/oneOf whose non-null
// members all have one Cohere type, to a plain schema. The outer
// description wins over the referenced one.
func resolveSchema(raw json.RawMessage, defs *schemaDefs, param string, depth int) (schema, error) {
	var s schema
	if defs.budget--; defs.budget < 0 {
		return s, hub.BadRequest(param, "'"+param+"' is too complex (too many $ref/anyOf expansions) to be expressed as a Cohere parameter type.")
	}
	if depth > maxSchemaDepth {
		return s, hub.BadRequest(param, "'"+param+"' nests $ref/anyOf too deeply to be expressed as a Cohere parameter type.")
	}
	if b := bytes.TrimSpace(raw); len(b) == 0 || b[0] != '{' || json.Unmarshal(b, &s) != nil {
		return s, hub.BadRequest(param, "'"+param+"' must be a JSON schema object.")
	}
	desc := s.Description
	var inner *schema
	switch {
	case s.Ref != "":
		name, ok := localRef(s.Ref)
		def, found := defs.m[name]
		if !ok || !found {
			return s, hub.BadRequest(param, "'"+param+"' uses $ref "+strconv.Quote(s.Ref)+", which does not point into the schema's own $defs; Cohere parameter definitions need a plain type.")
		}
		r, err := resolveSchema(def, defs, param, depth+1)
		if err != nil {
			return s, err
		}
		inner = &r
	case len(s.AllOf) > 0:
		if len(s.AllOf) != 1 {
			return s, hub.BadRequest(param, "'"+param+"' uses allOf with several schemas, which cannot be expressed as a Cohere parameter type.")
		}
		r, err := resolveSchema(s.AllOf[0], defs, param, depth+1)
		if err != nil {
			return s, err
		}
		inner = &r
	case len(s.AnyOf) > 0 || len(s.OneOf) > 0:
		branches, kw := s.AnyOf, "anyOf"
		if len(branches) == 0 {
			branches, kw = s.OneOf, "oneOf"
		}
		var chosen *schema
		var chosenType string
		for _, br := range branches {
			r, err := resolveSchema(br, defs, param, depth+1)
			if err != nil {
				return s, err
			}
			if ts, _ := schemaTypes(r.Type); len(ts) == 1 && ts[0] == "null" {
				continue // Optional[T]
			}
			t, _, err := typeOf(&r, defs, param, depth+1)
			if err != nil {
				return s, err
			}
			if chosen == nil {
				chosen, chosenType = &r, t
				continue
			}
			if t != chosenType {
				return s, hub.BadRequest(param, "'"+param+"' uses "+kw+" with different types ("+chosenType+" and "+t+"), which cannot be expressed as one Cohere parameter type.")
			}
			chosen.Enum = append(chosen.Enum, r.Enum...)
		}
		if chosen == nil {
			return s, hub.BadRequest(param, "'"+param+"' allows only null, which is not a Cohere parameter type.")
		}
		inner = chosen
	}
	if inner != nil {
		s = *inner
		if desc != "" {
			s.Description = desc
		}
	}
	return s, nil
}

// localRef returns the definition name of "#/$defs/X" or "#/definitions/X".
func localRef(ref string) (string, bool) {
	for _, p := range []string{"#/$defs/", "#/definitions/"} {
		if name, ok := strings.CutPrefix(ref, p); ok && name != "" && !strings.Contains(name, "/") {
			return name, true
		}
	}
	return "", false
}

// schemaTypes reads "type" as a string or an array of strings.
func schemaTypes(raw json.RawMessage) ([]string, error) {
	if core.IsNull(raw) {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, err
	}
	return many, nil
}

// typeOf returns the Cohere type of a resolved schema and its JSON
// base type (string, integer, number, boolean, array, object).
func typeOf(s *schema, defs *schemaDefs, param string, depth int) (typ, base string, err error) {
	types, err := schemaTypes(s.Type)
	if err != nil {
		return "", "", hub.BadRequest(param+".type", "'"+param+".type' must be a string or an array of strings.")
	}
	types = slices.DeleteFunc(slices.Clone(types), func(t string) bool { return t == "null" })
	switch {
	case len(types) > 1:
		return "", "", hub.BadRequest(param+".type", "'"+param+".type' lists several types ("+strings.Join(types, ", ")+"), which cannot be expressed as one Cohere parameter type.")
	case len(types) == 1:
		base = types[0]
	case !core.IsNull(s.Type):
		return "", "", hub.BadRequest(param+".type", "'"+param+".type' allows only null, which is not a Cohere parameter type.")
	default: // no type: infer, else free text like litellm (UNCONFIRMED that "str" suits the model best)
		switch {
		case !core.IsNull(s.Properties):
			base = "object"
		case !core.IsNull(s.Items):
			base = "array"
		default:
			base = enumBase(s.Enum, s.Const)
		}
	}
	switch base {
	case "string":
		return "str", base, nil
	case "integer":
		return "int", base, nil
	case "number":
		return "float", base, nil
	case "boolean":
		return "bool", base, nil
	case "object":
		// UNCONFIRMED: lower-case builtins ("dict", "list") — litellm reports
		// OCI answers 500 to a bare "List"; "Dict"/"Dict[str, Any]" untested.
		return "dict", base, nil
	case "array":
		if t, ok := itemType(s.Items, defs, depth); ok {
			return "List[" + t + "]", base, nil
		}
		return "list", base, nil
	}
	return "", "", hub.BadRequest(param+".type", "'"+param+".type' is "+strconv.Quote(base)+", which is not a JSON schema type Cohere parameters support (string, integer, number, boolean, array, object).")
}

// enumBase infers the type of an untyped schema from enum/const values:
// all numbers → number, all booleans → boolean, otherwise string.
func enumBase(enum []json.RawMessage, cnst json.RawMessage) string {
	vals := enum
	if !core.IsNull(cnst) {
		vals = append(slices.Clone(vals), cnst)
	}
	if len(vals) == 0 {
		return "string"
	}
	kind := ""
	for _, v := range vals {
		k := "string"
		switch b := bytes.TrimSpace(v); {
		case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
			k = "number"
		case bytes.Equal(b, []byte("true")) || bytes.Equal(b, []byte("false")):
			k = "boolean"
		}
		if kind != "" && k != kind {
			return "string"
		}
		kind = k
	}
	return kind
}

// itemType returns the Cohere type of array items (str, List[int] …), or
// false when items are absent or have no single Cohere type: the array is
// then a bare "list" (OCI rejects a bare "List").
func itemType(items json.RawMessage, defs *schemaDefs, depth int) (string, bool) {
	if core.IsNull(items) {
		return "", false
	}
	s, err := resolveSchema(items, defs, "", depth+1)
	if err != nil {
		return "", false
	}
	t, _, err := typeOf(&s, defs, "", depth+1)
	if err != nil {
		return "", false
	}
	return t, true
}

// describe is the parameter description plus what the flat definition
// cannot express.
func describe(s *schema, base string, defs *schemaDefs) string {
	var notes []string
	if len(s.Enum) > 0 {
		vals := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			vals[i] = jsonLiteral(v)
		}
		notes = append(notes, "allowed values: "+strings.Join(vals, ", "))
	}
	if !core.IsNull(s.Const) {
		notes = append(notes, "must be "+jsonLiteral(s.Const))
	}
	if s.Format != "" {
		notes = append(notes, "format: "+s.Format)
	}
	var rng []string
	for _, r := range []struct {
		name string
		v    json.RawMessage
	}{{"min", s.Minimum}, {"max", s.Maximum}, {"exclusive min", s.ExclMinimum}, {"exclusive max", s.ExclMaximum}} {
		if !core.IsNull(r.v) {
			rng = append(rng, r.name+" "+jsonLiteral(r.v))
		}
	}
	if len(rng) > 0 {
		notes = append(notes, "range: "+strings.Join(rng, ", "))
	}
	if s.Pattern != "" {
		notes = append(notes, "pattern: "+s.Pattern)
	}
	switch base {
	case "object":
		if !core.IsNull(s.Properties) {
			notes = append(notes, "object with JSON schema "+compactSchema(s.Properties, s.Required))
		}
	case "array":
		if !core.IsNull(s.Items) {
			if _, ok := itemType(s.Items, defs, 0); !ok || bytes.Contains(s.Items, []byte(`"properties"`)) {
				notes = append(notes, "items: "+core.CompactJSON(s.Items))
			}
		}
	}
	if len(notes) == 0 {
		return s.Description
	}
	n := strings.Join(notes, "; ")
	if s.Description == "" {
		return strings.ToUpper(n[:1]) + n[1:]
	}
	return s.Description + " (" + n + ")"
}

// jsonLiteral renders a JSON value for a description: strings unquoted.
func jsonLiteral(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return core.CompactJSON(v)
}

func compactSchema(props, required json.RawMessage) string {
	if core.IsNull(required) {
		required = nil
	}
	b, err := json.Marshal(struct {
		Type       string          `json:"type"`
		Properties json.RawMessage `json:"properties"`
		Required   json.RawMessage `json:"required,omitempty"`
	}{"object", props, required})
	if err != nil {
		return core.CompactJSON(props)
	}
	return string(b)
}
