package coherev2

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/ociai/ociai-proxy/oci/core"
)

// FuzzDecodeReuse checks that decoding a stream's events into its reused targets gives, event after event, what
// decoding each one into fresh targets gives.
func FuzzDecodeReuse(f *testing.F) {
	f.Add([]byte(`{"apiFormat":"COHEREV2","message":{"role":"ASSISTANT","content":[{"type":"THINKING","thinking":"t"},{"type":"TEXT","text":"a"}]}}
{"message":{"content":[{"text":"b"}],"toolPlan":"p"}}
{"message":{"content":[],"toolCalls":[{"id":"c","function":{"name":"f","arguments":"{}"}},{"name":"g","arguments":{"a":1}}]}}
{"message":{"toolCalls":[{"id":"d"}]}}
{"message":null,"code":"x"}
{"message":"boom","code":"x"}
{"message":{"content":5}}
{"message":{"role":"ASSISTANT"},"finishReason":"COMPLETE","usage":{"promptTokens":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := NewStream("id", "m", 1, false)
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			var ev streamEvent
			var want answer
			wantErr := core.DecodeEvent(line, &ev)
			if wantErr == nil && !core.IsNull(ev.Message) && bytes.TrimSpace(ev.Message)[0] != '"' {
				wantErr = json.Unmarshal(ev.Message, &want)
			}
			got, err := s.decode(line)
			if wantErr != nil {
				if err == nil {
					t.Fatalf("%s: no error, want %v", line, wantErr)
				}
				continue
			}
			if err != nil {
				var ue *core.UpstreamError
				if !errors.As(err, &ue) {
					t.Fatalf("%s: error %v; fresh targets decode it", line, err)
				}
				continue // an error OCI sent ({"message":"…"}), which only the stream looks for
			}
			if !reflect.DeepEqual(normal(got), normal(&want)) || !bytes.Equal(s.ev.Message, ev.Message) || s.ev.FinishReason != ev.FinishReason {
				t.Fatalf("%s:\n got %+v\nwant %+v", line, *got, want)
			}
		}
	})
}

// normal is a copy of m with empty slices nil: the reused target keeps its arrays.
func normal(m *answer) answer {
	out := *m
	if len(out.Content) == 0 {
		out.Content = nil
	}
	if len(out.ToolCalls) == 0 {
		out.ToolCalls = nil
	}
	return out
}
