// Package ocitest holds what the OCI format packages' tests share: expected-chunk shorthands and the stream case
// runner, the fuzz checks, and a signed client for the OCI simulator.
package ocitest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/internal/jsontest"
	"github.com/ociai/ociai-proxy/oci/core"
)

// Expected-chunk shorthands: each renders one chunk's single choice.
func Role(i int) string {
	return fmt.Sprintf(`{"index":%d,"delta":{"role":"assistant","content":""},"finish_reason":null,"logprobs":null}`, i)
}
func Text(i int, s string) string {
	return fmt.Sprintf(`{"index":%d,"delta":{"content":%s},"finish_reason":null,"logprobs":null}`, i, strconv.Quote(s))
}
func Reasoning(i int, s string) string {
	return fmt.Sprintf(`{"index":%d,"delta":{"reasoning_content":%s},"finish_reason":null,"logprobs":null}`, i, strconv.Quote(s))
}
func Calls(i int, deltas string) string {
	return fmt.Sprintf(`{"index":%d,"delta":{"tool_calls":%s},"finish_reason":null,"logprobs":null}`, i, deltas)
}
func Fin(i int, reason string) string {
	return fmt.Sprintf(`{"index":%d,"delta":{},"finish_reason":%q,"logprobs":null}`, i, reason)
}
func Usage(p, c, t int) string {
	return fmt.Sprintf(`usage:{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}`, p, c, t)
}

// StreamID is the id the stream tests stamp on chunks.
const StreamID = "chatcmpl-s"

type StreamCase struct {
	Name         string
	IncludeUsage bool
	Events       []string
	Want         []string          // projected chunks, Start's role chunk first
	Content      map[int]string    // accumulated content per choice
	Args         map[string]string // accumulated arguments per "choice/index"
	Finished     bool              // Finished() after the last event
}

// RunStreamCases runs each case on a stream from newStream (a format's NewStream).
func RunStreamCases[S core.Stream](t *testing.T, cases []StreamCase, newStream func(id, model string, created int64, includeUsage bool) S) {
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) { runStreamCase(t, newStream(StreamID, "m", 1700000000, tc.IncludeUsage), tc) })
	}
}

// runStreamCase feeds tc.Events to s and checks the chunks, Finished, a second Close and the accumulation.
func runStreamCase(t *testing.T, s core.Stream, tc StreamCase) {
	t.Helper()
	chunks := []hub.ChatChunk{s.Start()}
	for _, ev := range tc.Events {
		out, err := s.Event([]byte(ev))
		if err != nil {
			t.Fatalf("Event(%s): %v", ev, err)
		}
		chunks = append(chunks, Keep(out)...)
	}
	if got := s.Finished(); got != tc.Finished {
		t.Errorf("Finished() = %v, want %v", got, tc.Finished)
	}
	chunks = append(chunks, Keep(s.Close())...)
	if again := s.Close(); again != nil {
		t.Errorf("second Close returned %d chunks", len(again))
	}
	if !s.FinishSeen() && tc.Finished {
		t.Error("FinishSeen() = false")
	}
	var got []string
	for _, c := range chunks {
		got = append(got, Project(t, c))
	}
	if len(got) != len(tc.Want) {
		t.Errorf("got %d chunks, want %d:\n%s", len(got), len(tc.Want), strings.Join(got, "\n"))
	} else {
		for i := range got {
			if w := ProjectWant(t, tc.Want[i]); got[i] != w {
				t.Errorf("chunk %d\n got: %s\nwant: %s", i, got[i], w)
			}
		}
	}
	acc := CheckStream(t, chunks, tc.IncludeUsage)
	for i, want := range tc.Content {
		if acc.Content[i] != want {
			t.Errorf("content[%d] = %q, want %q", i, acc.Content[i], want)
		}
	}
	if len(acc.Args) != len(tc.Args) {
		t.Errorf("tool calls %v, want %v", acc.Args, tc.Args)
	}
	for k, want := range tc.Args {
		if acc.Args[k] != want {
			t.Errorf("arguments[%s] = %q, want %q", k, acc.Args[k], want)
		}
	}
}

// Project renders a chunk as its single choice, or "usage:{…}" for the usage chunk.
func Project(t *testing.T, c hub.ChatChunk) string {
	t.Helper()
	if len(c.Choices) == 0 {
		return "usage:" + jsontest.Canon(t, jsontest.Marshal(t, c.Usage))
	}
	if len(c.Choices) != 1 {
		t.Fatalf("chunk with %d choices", len(c.Choices))
	}
	return jsontest.Canon(t, jsontest.Marshal(t, c.Choices[0]))
}

func ProjectWant(t *testing.T, w string) string {
	if rest, ok := strings.CutPrefix(w, "usage:"); ok {
		return "usage:" + jsontest.Canon(t, []byte(rest))
	}
	return jsontest.Canon(t, []byte(w))
}

type Accumulated struct {
	Content, Reasoning map[int]string
	Args, Names, IDs   map[string]string
	Finish             map[int]string
}

// CheckStream asserts the invariants every translated stream must keep and
// accumulates the deltas the way OpenAI SDKs do.
func CheckStream(t *testing.T, chunks []hub.ChatChunk, includeUsage bool) Accumulated {
	t.Helper()
	acc := Accumulated{map[int]string{}, map[int]string{}, map[string]string{}, map[string]string{}, map[string]string{}, map[int]string{}}
	for n, c := range chunks {
		raw := jsontest.Marshal(t, c)
		if c.ID != StreamID || c.Object != "chat.completion.chunk" || c.Created != 1700000000 || c.Model != "m" {
			t.Errorf("chunk %d envelope: %s", n, raw)
		}
		if len(c.Choices) == 0 {
			if !includeUsage || n != len(chunks)-1 || c.Usage == nil || !strings.Contains(string(raw), `"choices":[]`) {
				t.Errorf("unexpected usage chunk %d of %d: %s", n, len(chunks), raw)
			}
			continue
		}
		if c.Usage != nil {
			t.Errorf("chunk %d carries usage next to choices: %s", n, raw)
		}
		ch := c.Choices[0]
		if _, done := acc.Finish[ch.Index]; done {
			t.Errorf("chunk %d for choice %d after its finish chunk: %s", n, ch.Index, raw)
		}
		if ch.FinishReason != nil {
			acc.Finish[ch.Index] = *ch.FinishReason
		}
		d := ch.Delta
		if d.Content != nil {
			acc.Content[ch.Index] += *d.Content
		}
		if d.ReasoningContent != nil {
			acc.Reasoning[ch.Index] += *d.ReasoningContent
		}
		for _, tc := range d.ToolCalls {
			k := fmt.Sprintf("%d/%d", ch.Index, tc.Index)
			if _, seen := acc.IDs[k]; !seen {
				if tc.ID == "" || tc.Type != "function" {
					t.Errorf("first fragment of %s lacks id/type: %s", k, raw)
				}
				acc.IDs[k] = tc.ID
			} else if tc.ID != "" || tc.Type != "" {
				t.Errorf("later fragment of %s repeats id/type: %s", k, raw)
			}
			acc.Names[k] += tc.Function.Name
			acc.Args[k] += tc.Function.Arguments
		}
	}
	if includeUsage && (len(chunks) == 0 || len(chunks[len(chunks)-1].Choices) != 0) {
		t.Error("usage chunk missing or not last")
	}
	for k, a := range acc.Args {
		if !json.Valid([]byte(a)) {
			t.Errorf("arguments of %s are not JSON: %q", k, a)
		}
		if acc.Names[k] == "" {
			t.Errorf("tool call %s has no name", k)
		}
	}
	for i := range acc.Content {
		if _, ok := acc.Finish[i]; !ok {
			t.Errorf("choice %d has no finish chunk", i)
		}
	}
	return acc
}

// RunStreamErrors feeds each case's event to a new stream; each case is {name, event, code, message}: the
// UpstreamError the event must give, or a plain error (undecodable JSON) when code and message are both "".
func RunStreamErrors(t *testing.T, newStream func() core.Stream, cases [][4]string) {
	for _, tc := range cases {
		t.Run(tc[0], func(t *testing.T) {
			_, err := newStream().Event([]byte(tc[1]))
			if err == nil {
				t.Fatal("no error")
			}
			var ue *core.UpstreamError
			isUE := errors.As(err, &ue)
			if tc[2] == "" && tc[3] == "" {
				if isUE {
					t.Errorf("got UpstreamError %v for undecodable JSON", err)
				}
				return
			}
			if !isUE || ue.Code != tc[2] || ue.Message != tc[3] {
				t.Errorf("err = %#v", err)
			}
		})
	}
}

// RunWithoutStart feeds events to s without calling Start, closes it, and compares the chunks with want: a stream
// must open its choice by itself.
func RunWithoutStart(t *testing.T, s core.Stream, events, want []string) {
	t.Helper()
	var chunks []hub.ChatChunk
	for _, ev := range events {
		out, err := s.Event([]byte(ev))
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, Keep(out)...)
	}
	chunks = append(chunks, Keep(s.Close())...)
	if len(chunks) != len(want) {
		t.Fatalf("got %d chunks, want %d: %s", len(chunks), len(want), jsontest.Marshal(t, chunks))
	}
	for i := range want {
		if g, w := Project(t, chunks[i]), ProjectWant(t, want[i]); g != w {
			t.Errorf("chunk %d: %s, want %s", i, g, w)
		}
	}
}
