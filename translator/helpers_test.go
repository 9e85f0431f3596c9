package translator

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

// canon re-encodes JSON with sorted keys and no insignificant whitespace so
// two documents compare by value.
func canon(t testing.TB, b []byte) string {
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

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	return b
}

func assertJSON(t testing.TB, got any, want string) {
	t.Helper()
	g, w := canon(t, mustJSON(t, got)), canon(t, []byte(want))
	if g != w {
		t.Errorf("JSON mismatch\n got: %s\nwant: %s", g, w)
	}
}

func decodeRequest(t testing.TB, in string) *hub.ChatRequest {
	t.Helper()
	var req hub.ChatRequest
	if err := json.Unmarshal([]byte(in), &req); err != nil {
		t.Fatalf("decode request: %v", err)
	}
	return &req
}

func requestErrParam(t testing.TB, err error) string {
	t.Helper()
	var re *hub.RequestError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T) is not a *RequestError", err, err)
	}
	if re.Message == "" || re.Error() != re.Message {
		t.Errorf("RequestError without message: %+v", re)
	}
	return re.Param
}
