package responses

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// testSealer seals with a fixed test secret.
func testSealer(t *testing.T) *Sealer {
	t.Helper()
	return NewSealer(func() []byte { return []byte("sk-test-key") })
}

// decodeTurn decodes body with fixed ids, failing the test on an error.
func decodeTurn(t *testing.T, body string) *Turn {
	t.Helper()
	turn, e := Decode([]byte(body), testSealer(t))
	if e != nil {
		t.Fatalf("Decode: %v", e)
	}
	turn.ID, turn.Created = "resp_abc", 1700000000
	return turn
}

// sameJSON fails unless got (a value, encoded) and want (JSON text) are the same JSON.
func sameJSON(t *testing.T, got any, want string) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(g, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &b); err != nil {
		t.Fatalf("bad expected JSON %s: %v", want, err)
	}
	if !reflect.DeepEqual(a, b) {
		var ind bytes.Buffer
		_ = json.Indent(&ind, g, "", "  ")
		t.Errorf("got\n%s\nwant\n%s", ind.String(), want)
	}
}
