package generic

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/ociai/ociai-proxy/oci/core"
)

// FuzzDecodeReuse checks that decoding a stream's events into its reused target gives, event after event, what
// decoding each one into a fresh target gives.
func FuzzDecodeReuse(f *testing.F) {
	for _, seed := range []string{
		`{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"a"},{"type":"TEXT","text":"b"}]},"pad":"aa"}
{"index":0,"message":{"content":[{"type":"TEXT"},{"text":"c"}]}}
{"index":1,"message":{}}
{"index":0,"message":{"content":[]}}
{"index":0,"message":{"content":null,"refusal":null}}
{"message":null,"finishReason":"stop"}
{"usage":{"promptTokens":1,"completionTokens":2,"totalTokens":3}}`,
		`{"index":0,"message":{"toolCalls":[{"type":"FUNCTION","id":"c1","name":"f","arguments":"{","function":{"name":"g"}},{"id":"c2"}]}}
{"index":0,"message":{"toolCalls":[{"arguments":"}"}]}}
{"index":0,"message":{"reasoningContent":"r","refusal":"no"},"logprobs":{"tokens":["a"],"tokenLogprobs":[-1]}}
{"index":0,"message":{"content":[{"text":5}]}}
{"code":"x","message":"boom"}
{"message":{"content":[{"text":"x"}]},"message":{"reasoningContent":"y"}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := NewStream("id", "m", 1, false)
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			var want streamEvent
			want.Index = -1
			wantErr := core.DecodeEvent(line, &want)
			got, err := s.decode(line)
			if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
				t.Fatalf("%s: error %v, want %v", line, err, wantErr)
			}
			if err == nil && !reflect.DeepEqual(normal(got), normal(&want)) {
				t.Fatalf("%s:\n got %+v %+v\nwant %+v %+v", line, *got, got.Message, want, want.Message)
			}
		}
	})
}

// normal is a copy of ev with empty slices of its message nil: the reused target keeps its arrays.
func normal(ev *streamEvent) streamEvent {
	out := *ev
	if ev.Message != nil {
		m := *ev.Message
		if len(m.Content) == 0 {
			m.Content = nil
		}
		if len(m.ToolCalls) == 0 {
			m.ToolCalls = nil
		}
		out.Message = &m
	}
	return out
}
