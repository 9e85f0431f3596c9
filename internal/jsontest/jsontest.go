// Package jsontest compares JSON documents by value in tests.
package jsontest

import (
	"bytes"
	"encoding/json"
	"testing"
)

// Canon re-encodes JSON with sorted keys and no insignificant whitespace, so that two documents compare by value.
func Canon(t testing.TB, b []byte) string {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("invalid JSON %q: %v", b, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// Marshal encodes v or fails the test.
func Marshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	return b
}

// Assert fails the test unless v encodes to the same JSON value as want.
func Assert(t testing.TB, v any, want string) {
	t.Helper()
	g, w := Canon(t, Marshal(t, v)), Canon(t, []byte(want))
	if g != w {
		t.Errorf("JSON mismatch\n got: %s\nwant: %s", g, w)
	}
}

// Decode decodes s into a new T or fails the test.
func Decode[T any](t testing.TB, s string) *T {
	t.Helper()
	v := new(T)
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("decode %T: %v", v, err)
	}
	return v
}
