package core_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/oci/core"
)

// DecodeEvent accepts and rejects what json.Unmarshal does (on an error the target is not to be used), and a
// decoder that failed is not handed out again: each event after a bad one decodes on its own.
func TestDecodeEvent(t *testing.T) {
	type ev struct {
		Index int    `json:"index"`
		Text  string `json:"text"`
	}
	for _, in := range []string{
		`{"index":1,"text":"a"}`, ` {"index":2} ` + "\n", `{"index":3} x`, `{"index":`, `{} {}`, `[1]`, `{"index":"x"}`,
		`{"index":4,"text":"` + strings.Repeat("y", 5000) + `"}`, `null`, "", `{"index":5}` + strings.Repeat(" ", 100) + "z",
	} {
		var got, want ev
		gotErr, wantErr := core.DecodeEvent([]byte(in), &got), json.Unmarshal([]byte(in), &want)
		if (gotErr == nil) != (wantErr == nil) || gotErr == nil && got != want {
			t.Errorf("%.40q: got %+v, %v; json.Unmarshal %+v, %v", in, got, gotErr, want, wantErr)
		}
		var next ev
		if err := core.DecodeEvent([]byte(`{"index":9,"text":"next"}`), &next); err != nil || next != (ev{9, "next"}) {
			t.Errorf("after %.40q: %+v, %v", in, next, err)
		}
	}
}
