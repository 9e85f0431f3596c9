package strictjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/strictjson"
)

// The test types mirror the request types' tricks: a union decoded by its own UnmarshalJSON (content), a raw
// object (metadata), a map, an embedded struct, a recursive type and a renamed or hidden field.
type request struct {
	Model    string            `json:"model"`
	Messages []message         `json:"messages"`
	Metadata raw               `json:"metadata"`
	Labels   map[string]labels `json:"labels"`
	Choice   *choice           `json:"choice"`
	Hidden   string            `json:"-"`
	Plain    int
	embedded
}

type embedded struct {
	Extra string `json:"extra"`
}

type message struct {
	Role    string  `json:"role"`
	Content content `json:"content"`
}

type labels struct {
	Color string `json:"color"`
}

type part struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// content is a string or an array of parts; it says so through JSONShapes.
type content struct {
	Text  string
	Parts []part
}

func (c *content) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		return json.Unmarshal(b, &c.Parts)
	}
	return json.Unmarshal(b, &c.Text)
}

func (content) JSONShapes() []reflect.Type { return []reflect.Type{reflect.TypeFor[[]part]()} }

// raw decodes itself and says nothing of its shape: only duplicates are found in it.
type raw []byte

func (r *raw) UnmarshalJSON(b []byte) error { *r = append((*r)[:0], b...); return nil }

// choice is a string or an object with nested choices.
type choice struct {
	Mode  string   `json:"-"`
	Name  string   `json:"name"`
	Tools []choice `json:"tools"`
}

func (c *choice) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &c.Mode)
	}
	type plain choice
	return json.Unmarshal(b, (*plain)(c))
}

func (choice) JSONShapes() []reflect.Type { return []reflect.Type{reflect.TypeFor[choice]()} }

var requestType = reflect.TypeFor[request]()

func TestAccepted(t *testing.T) {
	for _, body := range []string{
		`{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"user","content":[{"type":"text","text":"x"}]}]}`,
		`{"model":"m","unknown":1,"Unknown":2,"UNKNOWN":{"a":1,"A":2}}`,                         // unknown keys, any case
		`{"metadata":{"a":1,"A":2,"Model":3},"labels":{"x":{"color":"red"},"X":{"color":"b"}}}`, // map keys are exact
		`{"choice":"auto"}`, `{"choice":{"name":"f","tools":[{"name":"g"},"auto"]}}`,
		`{"Plain":1,"extra":"e","hidden":"h"}`,                             // a Go field name without a tag; a hidden field is unknown, not a variant
		`{"messages":[{"role":"user","content":{"TYPE":"x","Text":"y"}}]}`, // content has no object form
		`{"a":"\"","b":"\\","c":"\\\"","d":"x\\\\"}`,                       // escaped quotes and backslashes end strings right
		`[]`, `{}`, `"x"`, `1`, `null`, ` { "model" : "m" , "messages" : [ ] } `,
	} {
		if err := strictjson.Check([]byte(body), requestType); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

func TestRejected(t *testing.T) {
	for _, tc := range []struct{ body, param, field string }{
		{`{"model":"a","model":"b"}`, "model", ""},
		{`{"model":"grok-4","MODEL":"llama"}`, "MODEL", "model"},
		{`{"Model":"llama"}`, "Model", "model"},
		{`{"messages":[],"Messages":[{"role":"user","content":"x"}]}`, "Messages", "messages"},
		{`{"messages":[{"role":"user","content":"x"},{"role":"user","Role":"system","content":"x"}]}`, "messages[1].Role", "role"},
		{`{"messages":[{"role":"user","content":[{"type":"text","TEXT":"x"}]}]}`, "messages[0].content[0].TEXT", "text"},
		{`{"messages":[{"role":"user","content":[{"type":"text","type":"image"}]}]}`, "messages[0].content[0].type", ""},
		{`{"metadata":{"a":1,"b":{"c":1,"c":2}}}`, "metadata.b.c", ""}, // duplicates anywhere, even in raw JSON
		{`{"labels":{"x":{"COLOR":"red"}}}`, "labels.x.COLOR", "color"},
		{`{"labels":{"x":{},"x":{}}}`, "labels.x", ""},
		{`{"choice":{"tools":[{"name":"f","NAME":"g"}]}}`, "choice.tools[0].NAME", "name"},
		{`{"unknown":1,"unknown":2}`, "unknown", ""},
		{`{"model":"a","\u006dodel":"b"}`, "model", ""},  // the same key, escaped
		{`{"\u006dODEL":"b"}`, "mODEL", "model"},         // escaped and case-folded
		{"{\"EXTRA\":1}", "EXTRA", "extra"},              // promoted from an embedded struct
		{`{"plain":1}`, "plain", "Plain"},                // untagged Go field name
		{"{\"\xff\":1,\"\xfe\":2}", "\ufffd", ""},        // both decode to U+FFFD
		{`{"mode\u006c":1,"MODEL":2}`, "MODEL", "model"}, // an unknown key first, then a variant
		{`[{"a":1},{"b":1,"b":2}]`, "[1].b", ""},         // a top-level array
		{`{"x":[[{"k":1,"k":1}]]}`, "x[0][0].k", ""},     // arrays in unknown values
		{`{"messages":[{"role":"user","content":"x","content":"y"}]}`, "messages[0].content", ""},
	} {
		err := strictjson.Check([]byte(tc.body), requestType)
		var ke *strictjson.KeyError
		if !errors.As(err, &ke) {
			t.Errorf("%s: got %v, want a key error", tc.body, err)
			continue
		}
		if ke.Param() != tc.param || ke.Field != tc.field {
			t.Errorf("%s: param %q field %q, want %q %q", tc.body, ke.Param(), ke.Field, tc.param, tc.field)
		}
		if !strings.Contains(err.Error(), strconv.Quote(ke.Key)) {
			t.Errorf("%s: the message does not name the key: %s", tc.body, err)
		}
	}
}

// The case rule is encoding/json's own: every key Check rejects as a variant of a field is one that json.Unmarshal
// would have stored in that field, including the Unicode folds (the Kelvin sign K is a k, the long ſ an s).
func TestCaseRuleMatchesEncodingJSON(t *testing.T) {
	type target struct {
		Key  string `json:"key"`
		Sum  string `json:"sum"`
		Über string `json:"über"`
	}
	for _, key := range []string{"KEY", "Key", "\u212aey", "\u017fum", "SUM", "ÜBER", "Über", "keys", "ke", "k\u0065y"} {
		body := []byte(`{` + strconv.Quote(key) + `:"v"}`)
		var v target
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		decoded := v != target{}
		exact := key == "key" || key == "sum" || key == "über"
		err := strictjson.Check(body, reflect.TypeFor[target]())
		if want := decoded && !exact; (err != nil) != want {
			t.Errorf("key %q: encoding/json stores it: %v; Check: %v", key, decoded, err)
		}
	}
}

// Malformed or over-deep input is left to the decoder: Check neither fails on it nor overflows its stack.
func TestMalformedIsLeftToTheDecoder(t *testing.T) {
	for _, body := range []string{
		``, `{`, `{"a"`, `{"a":`, `{"a":1,}`, `{"a" 1}`, `{1:2}`, `[1,`, `"abc`, `{"a":"\"}`, `{"a":1}}`, `}`,
		strings.Repeat("[", 200_000), strings.Repeat(`{"a":`, 200_000) + "1" + strings.Repeat("}", 200_000),
	} {
		if err := strictjson.Check([]byte(body), requestType); err != nil {
			t.Errorf("%.40q: %v", body, err)
		}
	}
	// Within the decoder's depth limit, a duplicate deep down is still found.
	deep := strings.Repeat(`{"a":`, 5000) + `{"k":1,"k":2}` + strings.Repeat("}", 5000)
	if err := strictjson.Check([]byte(deep), requestType); err == nil {
		t.Error("duplicate at depth 5000 not found")
	}
}

// Large objects switch from pairwise comparison to a set; a duplicate is found on either side of the switch.
func TestLargeObjects(t *testing.T) {
	for _, n := range []int{3, 16, 17, 100, 5000} {
		var b bytes.Buffer
		b.WriteString("{")
		for i := range n {
			b.WriteString(`"k` + strconv.Itoa(i) + `":1,`)
		}
		for _, dup := range []int{0, n / 2, n - 1} {
			body := b.String() + `"k` + strconv.Itoa(dup) + `":2}`
			var ke *strictjson.KeyError
			if err := strictjson.Check([]byte(body), requestType); !errors.As(err, &ke) || ke.Key != "k"+strconv.Itoa(dup) {
				t.Errorf("%d keys, duplicate k%d: %v", n, dup, err)
			}
		}
		if err := strictjson.Check([]byte(b.String()+`"last":1}`), requestType); err != nil {
			t.Errorf("%d distinct keys: %v", n, err)
		}
	}
}
