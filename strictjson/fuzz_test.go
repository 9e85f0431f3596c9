package strictjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/ociai/ociai-proxy/strictjson"
)

// FuzzCheck compares Check with a slow reference built on encoding/json's tokenizer: on valid JSON both find
// a duplicate key or both find none, and case variants are only ever reported for the request type's fields.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}`,
		`{"a":{"b":1,"b":2}}`, `[{"k":"\"","k":1}]`, `{"\u006b":1,"k":2}`, `{"Model":1}`, "{\"\xff\":1,\"\xfe\":2}",
		`{"choice":{"tools":[{"name":"f","NAME":"g"}]}}`, `{"metadata":{"x":[{"y":1,"y":2}]}}`,
	} {
		f.Add([]byte(s))
	}
	anyType := reflect.TypeFor[any]()
	f.Fuzz(func(t *testing.T, data []byte) {
		errAny := strictjson.Check(data, anyType)
		errReq := strictjson.Check(data, requestType)
		if !json.Valid(data) {
			return
		}
		if want := hasDuplicate(data); (errAny != nil) != want {
			t.Fatalf("Check(any) = %v, reference duplicate = %v", errAny, want)
		}
		var ke *strictjson.KeyError
		if errAny != nil && (!errors.As(errAny, &ke) || ke.Field != "") {
			t.Fatalf("Check(any) reported a case variant: %v", errAny)
		}
		if errAny != nil && errReq == nil {
			t.Fatalf("a duplicate found without a type (%v) was missed with one", errAny)
		}
	})
}

// hasDuplicate walks data with json.Decoder tokens, keeping a set of keys per open object.
func hasDuplicate(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next string token in this object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if k, ok := tok.(string); ok && top != nil && top.object && top.key {
			if top.keys[k] {
				return true
			}
			top.keys[k] = true
			top.key = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, key: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: in an object, a key comes next.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true
		}
	}
}
