package cohere

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/ociai/ociai-proxy/oci/core"
)

// FuzzDecodeReuse checks that decoding a stream's events into its reused target gives, event after event, what
// decoding each one into a fresh target gives.
func FuzzDecodeReuse(f *testing.F) {
	f.Add([]byte(`{"apiFormat":"COHERE","text":"Hi","pad":"a"}
{"text":""}
{"toolCalls":[{"name":"f","parameters":{"a":1}}]}
{"text":null,"code":"x","message":"boom"}
{"text":5}
{"text":"a","finishReason":"COMPLETE","usage":{"promptTokens":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := NewStream("id", "m", 1, false)
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			var want streamEvent
			wantErr := core.DecodeEvent(line, &want)
			got, err := s.decode(line)
			if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
				t.Fatalf("%s: error %v, want %v", line, err, wantErr)
			}
			if err == nil && !reflect.DeepEqual(*got, want) {
				t.Fatalf("%s:\n got %+v\nwant %+v", line, *got, want)
			}
		}
	})
}
