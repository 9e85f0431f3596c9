package hub

import (
	"bytes"
	"encoding/json"
	"reflect"
	"unicode/utf8"
)

// Union fields of the OpenAI request (string-or-array, string-or-object) need
// custom (un)marshalers; everything else goes through plain encoding/json.

// UnmarshalJSON accepts a string, an array of parts or null.
func (c *Content) UnmarshalJSON(b []byte) error {
	_, err := DecodeTextOrList(b, &c.Text, &c.Parts, "content parts")
	return err
}

// DecodeTextOrList decodes the union of a string and an array that many client API fields share (message
// content, input): it sets *text or *list, clearing the other, and reports whether either was given (false for
// null). what names the array's elements in the type error ("content parts").
func DecodeTextOrList[T any](b []byte, text *string, list *[]T, what string) (bool, error) {
	b = bytes.TrimLeft(b, " \t\r\n")
	*text, *list = "", nil // never decode into reused elements
	if len(b) == 0 || b[0] == 'n' {
		return false, nil
	}
	switch b[0] {
	case '"':
		if s, ok := plainString(b); ok {
			*text = s
			return true, nil
		}
		return true, json.Unmarshal(b, text)
	case '[':
		return true, json.Unmarshal(b, list) // "[]" gives an empty, non-nil list
	}
	return false, TypeError(b, "string or array of "+what)
}

// TextContent is the string form of a message content.
func TextContent(s string) Content { return Content{Text: s} }

// TypeError reports a JSON value of the wrong kind (b, not empty), for the decoders of union fields here and in
// the client APIs. encoding/json fills in the field path (e.g. "messages.content") for
// *json.UnmarshalTypeError, which DecodeJSON turns into a 400 naming the parameter.
func TypeError(b []byte, want string) error {
	kind := "value"
	switch b[0] {
	case '{':
		kind = "object"
	case '[':
		kind = "array"
	case '"':
		kind = "string"
	case 't', 'f':
		kind = "bool"
	default:
		kind = "number"
	}
	return &json.UnmarshalTypeError{Value: kind + " (expected " + want + ")", Type: stringType}
}

var stringType = reflect.TypeFor[string]()

// MarshalJSON encodes the array form when Parts is set, else the string
// (null when empty).
func (c Content) MarshalJSON() ([]byte, error) {
	if c.Parts != nil {
		return json.Marshal(c.Parts)
	}
	if c.Text == "" {
		return []byte("null"), nil
	}
	return json.Marshal(c.Text)
}

// IsEmpty reports whether the content carries nothing (null, "" or []).
func (c *Content) IsEmpty() bool { return c.Text == "" && len(c.Parts) == 0 }

// plainString returns the value of a JSON string literal that needs no
// unescaping: the common case, decoded without a second scanner pass.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[len(b)-1] != '"' {
		return "", false
	}
	in := b[1 : len(b)-1]
	ascii := true
	for _, ch := range in {
		switch {
		case ch < 0x20 || ch == '\\' || ch == '"':
			return "", false
		case ch >= utf8.RuneSelf:
			ascii = false
		}
	}
	if !ascii && !utf8.Valid(in) {
		return "", false // let encoding/json substitute U+FFFD
	}
	return string(in), true
}

// UnmarshalJSON accepts a string, an array of strings or null.
func (l *StringList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] == 'n' {
		*l = nil
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = StringList{s}
		return nil
	}
	if b[0] != '[' {
		return TypeError(b, "string or array of strings")
	}
	return json.Unmarshal(b, (*[]string)(l))
}

// UnmarshalJSON accepts the string form ("auto"…) or the object forms.
func (tc *ToolChoice) UnmarshalJSON(b []byte) error {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] == 'n' {
		*tc = ToolChoice{}
		return nil
	}
	if b[0] == '"' {
		*tc = ToolChoice{}
		return json.Unmarshal(b, &tc.Mode)
	}
	if b[0] != '{' {
		return TypeError(b, `"none", "auto", "required" or an object`)
	}
	type plain ToolChoice
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	p.Mode = ""
	*tc = ToolChoice(p)
	return nil
}

// MarshalJSON encodes Mode as a bare string, otherwise the object form.
func (tc ToolChoice) MarshalJSON() ([]byte, error) {
	if tc.Mode != "" {
		return json.Marshal(tc.Mode)
	}
	type plain ToolChoice
	return json.Marshal(plain(tc))
}

// RawObject is raw JSON that must be an object (or null): logit_bias, metadata and the like are passed on or
// dropped as they are, but a value of the wrong kind is the client's mistake, reported with the field's name.
type RawObject []byte

// UnmarshalJSON keeps an object or null and rejects any other kind.
func (r *RawObject) UnmarshalJSON(b []byte) error { return rawOf(b, "{", "an object", (*[]byte)(r)) }

// MarshalJSON writes the raw object (null when empty).
func (r RawObject) MarshalJSON() ([]byte, error) { return rawOut(r), nil }

// RawArray is raw JSON that must be an array (or null), like the legacy functions list.
type RawArray []byte

// UnmarshalJSON keeps an array or null and rejects any other kind.
func (r *RawArray) UnmarshalJSON(b []byte) error { return rawOf(b, "[", "an array", (*[]byte)(r)) }

// MarshalJSON writes the raw array (null when empty).
func (r RawArray) MarshalJSON() ([]byte, error) { return rawOut(r), nil }

// RawChoice is raw JSON that must be a string or an object (or null), like the legacy function_call.
type RawChoice []byte

// UnmarshalJSON keeps a string, an object or null and rejects any other kind.
func (r *RawChoice) UnmarshalJSON(b []byte) error {
	return rawOf(b, `"{`, "a string or an object", (*[]byte)(r))
}

// MarshalJSON writes the raw value (null when empty).
func (r RawChoice) MarshalJSON() ([]byte, error) { return rawOut(r), nil }

// rawOf keeps b in dst when its first byte is one of kinds (or it is null), else reports a type error.
func rawOf(b []byte, kinds, want string, dst *[]byte) error {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return nil
	}
	if b[0] != 'n' && !bytes.ContainsRune([]byte(kinds), rune(b[0])) {
		return TypeError(b, want)
	}
	*dst = append((*dst)[:0], b...)
	return nil
}

func rawOut(r []byte) []byte {
	if len(r) == 0 {
		return []byte("null")
	}
	return r
}
