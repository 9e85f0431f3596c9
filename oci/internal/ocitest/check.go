package ocitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/internal/jsontest"
	"github.com/ociai/ociai-proxy/oci/core"
)

// Request decodes a hub chat request or fails the test.
func Request(t testing.TB, in string) *hub.ChatRequest {
	return jsontest.Decode[hub.ChatRequest](t, in)
}

// RequestErrParam returns the parameter a *hub.RequestError names, failing the test for any other error.
func RequestErrParam(t testing.TB, err error) string {
	t.Helper()
	var re *hub.RequestError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T) is not a *hub.RequestError", err, err)
	}
	if re.Message == "" || re.Error() != re.Message {
		t.Errorf("RequestError without message: %+v", re)
	}
	return re.Param
}

// Translate is a format's request translation.
type Translate func(*hub.ChatRequest, core.Target) (*core.ChatDetails, []string, error)

// CheckTranslation decodes data as a chat request and translates it for each target: a client mistake must be a
// *hub.RequestError, anything else must encode as valid JSON.
func CheckTranslation(t *testing.T, data []byte, translate Translate, targets []core.Target) {
	var req hub.ChatRequest
	if json.Unmarshal(data, &req) != nil {
		return
	}
	for _, tg := range targets {
		d, _, err := translate(&req, tg)
		if err != nil {
			var re *hub.RequestError
			if !errors.As(err, &re) {
				t.Fatalf("non-RequestError %T: %v", err, err)
			}
			continue
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if !json.Valid(b) {
			t.Fatalf("invalid JSON %s", b)
		}
	}
}

// JoinEvents joins stream events into one fuzz input, one per line.
func JoinEvents(evs []string) string {
	var b bytes.Buffer
	for _, e := range evs {
		b.WriteString(e)
		b.WriteByte('\n')
	}
	return b.String()
}

// FeedStream feeds each line of data to s as an event (undecodable ones are skipped), closes it, and checks that
// the chunks encode.
func FeedStream(t *testing.T, s core.Stream, data []byte) []hub.ChatChunk {
	chunks := []hub.ChatChunk{s.Start()}
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		out, err := s.Event(line)
		if err != nil {
			continue
		}
		chunks = append(chunks, Keep(out)...)
		_ = s.Finished()
	}
	chunks = append(chunks, Keep(s.Close())...)
	if _, err := json.Marshal(chunks); err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return chunks
}

// CheckOneChoice checks a Cohere stream's chunks: one choice, one tool call per chunk, exactly one finish chunk
// with nothing after it, and the usage chunk last when asked for.
func CheckOneChoice(t *testing.T, chunks []hub.ChatChunk, includeUsage bool) {
	finished := false
	for i, c := range chunks {
		if len(c.Choices) == 0 {
			if !includeUsage || i != len(chunks)-1 {
				t.Fatalf("stray usage chunk %d", i)
			}
			continue
		}
		if finished {
			t.Fatalf("chunk %d after the finish chunk", i)
		}
		ch := c.Choices[0]
		if ch.Index != 0 || len(c.Choices) != 1 {
			t.Fatalf("chunk %d: choices %+v", i, c.Choices)
		}
		if len(ch.Delta.ToolCalls) > 1 {
			t.Fatalf("chunk %d carries %d tool calls", i, len(ch.Delta.ToolCalls))
		}
		finished = ch.FinishReason != nil
	}
	if !finished {
		t.Fatal("no finish chunk")
	}
}

// CheckCompletion checks a translated whole answer: every tool call has an id and arguments, and the completion
// and its synthesized stream encode.
func CheckCompletion(t *testing.T, c *hub.ChatCompletion) {
	for _, ch := range c.Choices {
		for _, tc := range ch.Message.ToolCalls {
			if tc.ID == "" || tc.Function.Arguments == "" {
				t.Fatalf("tool call without id or arguments: %+v", tc)
			}
		}
	}
	if _, err := json.Marshal(c); err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if _, err := json.Marshal(hub.ChunksFromCompletion(c, true)); err != nil {
		t.Fatalf("marshal chunks: %v", err)
	}
}

// RequestCase is a row of a translation table: a hub request in, the chatRequest and the dropped parameters out.
type RequestCase struct {
	Name    string
	In      string   // the hub request
	Want    string   // the chatRequest
	Dropped []string // nil: none
}

// RunRequests translates each case for target and compares the chatRequest and the dropped parameters.
func RunRequests(t *testing.T, translate Translate, target core.Target, cases []RequestCase) {
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			d, dropped, err := translate(Request(t, tc.In), target)
			if err != nil {
				t.Fatal(err)
			}
			jsontest.Assert(t, d.ChatRequest, tc.Want)
			if !slices.Equal(dropped, tc.Dropped) {
				t.Errorf("dropped = %q, want %q", dropped, tc.Dropped)
			}
		})
	}
}

// RunErrors translates each case for target; each case is {name, request, the parameter the RequestError must
// name}.
func RunErrors(t *testing.T, translate Translate, target core.Target, cases [][3]string) {
	for _, tc := range cases {
		t.Run(tc[0], func(t *testing.T) {
			_, _, err := translate(Request(t, tc[1]), target)
			if err == nil {
				t.Fatal("no error")
			}
			if p := RequestErrParam(t, err); p != tc[2] {
				t.Errorf("param = %q, want %q (%v)", p, tc[2], err)
			}
		})
	}
}
