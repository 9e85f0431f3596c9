package hub_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/internal/jsontest"
)

func TestRawKinds(t *testing.T) {
	var req hub.ChatRequest
	in := `{"logit_bias":{"1":2},"metadata":null,"audio":{"voice":"x"},"functions":[{"name":"f"}],"function_call":"auto",` +
		`"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],` +
		`"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"object"}}}}`
	if err := json.Unmarshal([]byte(in), &req); err != nil {
		t.Fatal(err)
	}
	if string(req.LogitBias) != `{"1":2}` || string(req.Metadata) != "null" || string(req.Functions) != `[{"name":"f"}]` ||
		string(req.FunctionCall) != `"auto"` || string(req.Tools[0].Function.Parameters) != `{"type":"object"}` ||
		string(req.ResponseFormat.JSONSchema.Schema) != `{"type":"object"}` {
		t.Fatalf("decoded %+v", req)
	}
	out, err := json.Marshal(struct {
		A hub.RawObject `json:"a"`
		B hub.RawArray  `json:"b,omitempty"`
		C hub.RawChoice `json:"c"`
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
		if err := json.Unmarshal([]byte(body), new(hub.ChatRequest)); !errors.As(err, &te) || te.Field != field {
			t.Errorf("%s: %v (field %v)", body, err, te)
		}
	}
}

func TestHasImages(t *testing.T) {
	for in, want := range map[string]bool{
		`{"messages":[{"role":"user","content":"x"}]}`:                                                                 false,
		`{"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}`:                                        false,
		`{"messages":[{"role":"user","content":"x"},{"role":"user","content":[{"type":"image_url","image_url":{}}]}]}`: true,
	} {
		if got := hub.HasImages(jsontest.Decode[hub.ChatRequest](t, in)); got != want {
			t.Errorf("HasImages(%s) = %v", in, got)
		}
	}
	if hub.HasImages(nil) {
		t.Error("HasImages(nil)")
	}
}

func TestDecodeRequestShapes(t *testing.T) {
	bad := map[string]string{ // input → field path reported by encoding/json
		`{"messages":[{"role":"user","content":42}]}`:              "messages.content",
		`{"messages":[{"role":"user","content":{"type":"text"}}]}`: "messages.content",
		`{"messages":[{"role":"user","content":true}]}`:            "messages.content",
		`{"stop":42}`:        "stop",
		`{"stop":{}}`:        "stop",
		`{"tool_choice":42}`: "tool_choice",
		`{"tool_choice":[]}`: "tool_choice",
		`{"stop":[1]}`:       "stop",
		`{"messages":[{"role":"user","content":[{"type":1}]}]}`: "messages.content.type",
	}
	for in, field := range bad {
		var req hub.ChatRequest
		err := json.Unmarshal([]byte(in), &req)
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) || te.Field != field {
			t.Errorf("%s: error %v, want a type error for field %q", in, err, field)
		}
	}
	// round trip of the union types
	in := `{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"}]},{"role":"assistant","content":null},{"role":"user","content":"s"}],
		"stop":"x","tool_choice":"auto"}`
	req := jsontest.Decode[hub.ChatRequest](t, in)
	jsontest.Assert(t, req, `{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"}]},{"role":"assistant","content":null},{"role":"user","content":"s"}],
		"stop":["x"],"tool_choice":"auto"}`)
	req = jsontest.Decode[hub.ChatRequest](t, `{"model":"m","messages":[],"tool_choice":{"type":"function","function":{"name":"f"}}}`)
	jsontest.Assert(t, req, `{"model":"m","messages":[],"tool_choice":{"type":"function","function":{"name":"f"}}}`)
}

// The union decoder behind message content, the Messages API's content and the Responses API's input.
func TestDecodeTextOrList(t *testing.T) {
	for _, c := range []struct {
		in      string
		set     bool
		text    string
		list    []int // nil: no list
		wantErr string
	}{
		{in: ``},
		{in: ` null`},
		{in: `"plain"`, set: true, text: "plain"},
		{in: `"tab\tand \u00e9"`, set: true, text: "tab\tand é"},
		{in: `[]`, set: true, list: []int{}},
		{in: ` [1, 2]`, set: true, list: []int{1, 2}},
		{in: `{}`, wantErr: "object (expected string or array of numbers)"},
		{in: `true`, wantErr: "bool (expected string or array of numbers)"},
	} {
		text, list := "stale", []int{9} // a reused value is cleared
		set, err := hub.DecodeTextOrList([]byte(c.in), &text, &list, "numbers")
		if c.wantErr != "" {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) || te.Value != c.wantErr {
				t.Errorf("%q: error %v, want %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || set != c.set || text != c.text || (list == nil) != (c.list == nil) || len(list) != len(c.list) {
			t.Errorf("%q: set %v text %q list %#v err %v", c.in, set, text, list, err)
			continue
		}
		for i := range list {
			if list[i] != c.list[i] {
				t.Errorf("%q: list %v, want %v", c.in, list, c.list)
			}
		}
	}
}
