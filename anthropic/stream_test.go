package anthropic

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/ociai/ociai-proxy/hub"
)

// testReply is the reply to a request with these thinking settings and stop sequences, with id msg_1.
func testReply(thinking *Thinking, stops ...string) *reply {
	r := newReply(&Request{Thinking: thinking, StopSequences: stops})
	r.id = "msg_1"
	return r
}

// encode runs hub chunks (JSON, one per line) through a reply.
func encode(t *testing.T, chunks string, r *reply) string {
	t.Helper()
	var buf bytes.Buffer
	for _, line := range strings.Split(strings.TrimSpace(chunks), "\n") {
		var ch hub.ChatChunk
		if err := json.Unmarshal([]byte(line), &ch); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if err := r.Chunk(&buf, &ch); err != nil {
			t.Fatal(err)
		}
	}
	r.End(&buf)
	return buf.String()
}

const start = "event: message_start\n" + `data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}}` + "\n\n"

func ev(name, data string) string { return "event: " + name + "\ndata: " + data + "\n\n" }

func TestStreamEvents(t *testing.T) {
	const role = `{"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}`
	for _, tc := range []struct{ name, chunks, want string }{
		{"text, then usage after the finish", role + `
{"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}
{"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}
{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}
{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14,"prompt_tokens_details":{"cached_tokens":2}}}`,
			ev("content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`) +
				ev("content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}`) +
				ev("content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}`) +
				ev("content_block_stop", `{"type":"content_block_stop","index":0}`) +
				ev("message_delta", `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":2,"output_tokens":2}}`) +
				ev("message_stop", `{"type":"message_stop"}`)},
		{"reasoning, text, then a call in fragments and a whole call; the late {} fill is left out", role + `
{"choices":[{"index":0,"delta":{"reasoning_content":"Hmm"},"finish_reason":null}]}
{"choices":[{"index":0,"delta":{"content":"Ok."},"finish_reason":null}]}
{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"Bash","arguments":""}}]},"finish_reason":null}]}
{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"command\":"}}]},"finish_reason":null}]}
{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"ls\"}"}}]},"finish_reason":null}]}
{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"Now","arguments":"{}"}}]},"finish_reason":null}]}
{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]},"finish_reason":null}]}
{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}`,
			ev("content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}`) +
				ev("content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm"}}`) +
				ev("content_block_stop", `{"type":"content_block_stop","index":0}`) +
				ev("content_block_start", `{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}`) +
				ev("content_block_delta", `{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Ok."}}`) +
				ev("content_block_stop", `{"type":"content_block_stop","index":1}`) +
				ev("content_block_start", `{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"call_a","name":"Bash","input":{}}}`) +
				ev("content_block_delta", `{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"command\":"}}`) +
				ev("content_block_delta", `{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\"ls\"}"}}`) +
				ev("content_block_stop", `{"type":"content_block_stop","index":2}`) +
				ev("content_block_start", `{"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"call_b","name":"Now","input":{}}}`) +
				ev("content_block_delta", `{"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{}"}}`) +
				ev("content_block_stop", `{"type":"content_block_stop","index":3}`) +
				ev("message_delta", `{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}`) +
				ev("message_stop", `{"type":"message_stop"}`)},
		{"nothing but a length finish: no blocks", role + `
{"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}`,
			ev("message_delta", `{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}`) +
				ev("message_stop", `{"type":"message_stop"}`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := encode(t, tc.chunks, testReply(nil))
			if got != start+tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, start+tc.want)
			}
			accumulate(t, got)
		})
	}
}

func TestStreamHidesThinking(t *testing.T) {
	for _, th := range []*Thinking{{Type: "adaptive", Display: "omitted"}, {Type: "disabled"}} {
		got := encode(t, `{"model":"m","choices":[{"index":0,"delta":{"reasoning_content":"Hmm"},"finish_reason":null}]}
{"choices":[{"index":0,"delta":{"content":"A"},"finish_reason":"stop"}]}`, testReply(th))
		if strings.Contains(got, "thinking") || !strings.Contains(got, `"index":0,"content_block":{"type":"text"`) {
			t.Errorf("thinking %+v: got\n%s", th, got)
		}
	}
}

func TestStreamPingAndError(t *testing.T) {
	r := testReply(nil)
	var buf bytes.Buffer
	if err := r.Chunk(&buf, &hub.ChatChunk{Model: "m"}); err != nil {
		t.Fatal(err)
	}
	if !r.Ping(&buf) {
		t.Fatal("no ping")
	}
	if err := r.StreamError(&buf, &hub.Error{Status: 529, Message: "Overloaded"}); err != nil {
		t.Fatal(err)
	}
	want := start + ev("ping", `{"type":"ping"}`) + ev("error", `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

// A stop sequence is told apart where OCI names it (Cohere's STOP_SEQUENCE), whole and streamed; the sequence
// is given when the request had only one.
func TestStopSequence(t *testing.T) {
	c := hubCompletion(t, `{"id":"x","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]}`)
	c.Choices[0].NativeFinishReason = "STOP_SEQUENCE"
	for _, tc := range []struct {
		stops []string
		want  string
	}{{[]string{"END"}, `"stop_reason":"stop_sequence","stop_sequence":"END"`}, {[]string{"A", "B"}, `"stop_reason":"stop_sequence","stop_sequence":null`}} {
		whole, _ := json.Marshal(testReply(nil, tc.stops...).Completion(c))
		var buf bytes.Buffer
		r := testReply(nil, tc.stops...)
		for _, ch := range hub.ChunksFromCompletion(c, false) {
			_ = r.Chunk(&buf, &ch)
		}
		r.End(&buf)
		if !strings.Contains(string(whole), tc.want) || !strings.Contains(buf.String(), tc.want) {
			t.Errorf("stops %v: message %s\nstream %s\nwant %s", tc.stops, whole, buf.String(), tc.want)
		}
	}
	c.Choices[0].NativeFinishReason = "COMPLETE"
	if whole, _ := json.Marshal(testReply(nil, "END").Completion(c)); !strings.Contains(string(whole), `"stop_reason":"end_turn","stop_sequence":null`) {
		t.Errorf("a natural end: %s", whole)
	}
}

// TestStreamAgreesWithMessage streams each whole answer (as the gateway does for a non-streaming OCI call)
// and checks that the official SDK accumulates the events into the message NewMessage gives.
func TestStreamAgreesWithMessage(t *testing.T) {
	for _, tc := range completions {
		t.Run(tc.name, func(t *testing.T) {
			c := hubCompletion(t, tc.hub)
			r := testReply(nil)
			r.id = c.ID
			whole, _ := json.Marshal(r.Completion(c))
			sameJSON(t, string(whole), tc.want)
			var buf bytes.Buffer
			for _, ch := range hub.ChunksFromCompletion(c, true) {
				if err := r.Chunk(&buf, &ch); err != nil {
					t.Fatal(err)
				}
			}
			r.End(&buf)
			sameJSON(t, accumulate(t, buf.String()), tc.want)
		})
	}
}

// accumulate checks the grammar of an event stream and returns the message the Go SDK accumulates from it.
func accumulate(t *testing.T, stream string) string {
	t.Helper()
	var msg sdk.Message
	open, blocks, stopped := -1, 0, false
	for _, e := range strings.Split(strings.TrimSuffix(stream, "\n\n"), "\n\n") {
		name, data, ok := strings.Cut(e, "\ndata: ")
		name = strings.TrimPrefix(name, "event: ")
		var ev sdk.MessageStreamEventUnion
		if !ok || json.Unmarshal([]byte(data), &ev) != nil || ev.Type != name {
			t.Fatalf("malformed event %q", e)
		}
		switch {
		case stopped:
			t.Fatalf("%s after message_stop", name)
		case name == EventBlockStart && (open >= 0 || int(ev.Index) != blocks):
			t.Fatalf("block %d starts while %d is open or %d blocks were started", ev.Index, open, blocks)
		case (name == EventBlockDelta || name == EventBlockStop) && int(ev.Index) != open:
			t.Fatalf("%s for block %d, but %d is open", name, ev.Index, open)
		case name == EventMessageDelta && open >= 0:
			t.Fatalf("message_delta while block %d is open", open)
		}
		switch name {
		case EventBlockStart:
			open, blocks = blocks, blocks+1
		case EventBlockStop:
			open = -1
		case EventMessageStop:
			stopped = true
		}
		if err := msg.Accumulate(ev); err != nil {
			t.Fatalf("SDK: %v", err)
		}
	}
	if !stopped {
		t.Fatal("no message_stop")
	}
	return msg.RawJSON()
}
