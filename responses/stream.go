package responses

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// Stream turns the hub's chunks for one turn into Responses events, in the order the API defines:
// response.created and response.in_progress; per output item output_item.added, its deltas and
// output_item.done (reasoning: summary part and text; message: content part and text; function call:
// arguments; custom tool call: its input, whole); then response.completed (or response.incomplete) carrying
// the whole response with usage. Every event has the next sequence_number and every item an id.
//
// Use: Chunk for each hub chunk, then Finish, or Fail when the upstream fails; each writes whole server-sent
// events (`event:` and `data:` lines) to the buffer it is given, the first one opening the stream. Not safe
// for concurrent use.
type Stream struct {
	t       *Turn
	resp    *Response // nil until the stream opens
	seq     int
	buf     *bytes.Buffer
	enc     *json.Encoder // writes to buf
	cur     *textItem     // the open reasoning or message item
	calls   []*callState  // tool calls by hub index, open until the finish
	finish  string
	usage   *hub.Usage
	summary strings.Builder // compaction: the summary as it comes
	deltas  deltas
}

// deltas are the stream's delta events, reused: there is one per token.
type deltas struct {
	text    textDelta
	refusal refusalEvent
	summary summaryTextEvent
	args    argsEvent
	str     string // what summary.Delta or args.Delta points to
}

// textItem is an open reasoning or message item.
type textItem struct {
	index     int
	id        string
	reasoning bool
	parts     []any  // message: its finished content parts
	kind      string // message: the open part, output_text or refusal
	text      strings.Builder
}

// callState is a tool call item; it opens once the call's name is known.
type callState struct {
	index          int
	id             string
	callID, name   string
	custom, opened bool
	closed         bool
	args           strings.Builder
}

// NewStream starts the event stream of t's answer.
func (t *Turn) NewStream() *Stream { return &Stream{t: t} }

// use directs events to buf, opening the stream (response.created, response.in_progress) first.
func (s *Stream) use(buf *bytes.Buffer) {
	s.buf = buf
	if s.resp != nil {
		return
	}
	s.resp = s.t.base()
	s.enc = json.NewEncoder(s)
	// Both events carry the same response: it is encoded once.
	start := buf.Len()
	s.emit("response.created", &responseEvent{Response: s.resp})
	created := buf.Bytes()[start:]
	i := bytes.Index(created, []byte(`"response":`))
	body := created[i:] // `"response":{…}}` and the blank line
	fmt.Fprintf(buf, "event: response.in_progress\ndata: {\"type\":\"response.in_progress\",\"sequence_number\":%d,", s.seq)
	buf.Write(body)
	s.seq++
}

// Write lets the stream's encoder write to the buffer of the current call.
func (s *Stream) Write(p []byte) (int, error) { return s.buf.Write(p) }

// Chunk translates one hub chunk (choice 0; the Responses API has no n).
func (s *Stream) Chunk(buf *bytes.Buffer, ch *hub.ChatChunk) {
	s.use(buf)
	if ch.Usage != nil {
		s.usage = ch.Usage
	}
	for i := range ch.Choices {
		c := &ch.Choices[i]
		if c.Index != 0 {
			continue
		}
		s.delta(&c.Delta)
		if c.FinishReason != nil && s.finish == "" {
			s.finish = *c.FinishReason
			s.closeAll()
		}
	}
}

func (s *Stream) delta(d *hub.Delta) {
	if s.t.mode != modeAnswer {
		if d.Content != nil {
			s.summary.WriteString(*d.Content)
		}
		return
	}
	if d.ReasoningContent != nil && *d.ReasoningContent != "" {
		s.text(true, "", *d.ReasoningContent)
	}
	if d.Content != nil && *d.Content != "" {
		s.text(false, "output_text", *d.Content)
	}
	if d.Refusal != nil && *d.Refusal != "" {
		s.text(false, "refusal", *d.Refusal)
	}
	for i := range d.ToolCalls {
		s.call(&d.ToolCalls[i])
	}
}

// Finish ends the stream: it closes what is open and returns the terminal event, response.completed or, for
// an answer cut short, response.incomplete; for a compaction, the compaction item first.
func (s *Stream) Finish(buf *bytes.Buffer) {
	s.use(buf)
	s.closeAll()
	r := s.resp
	u := usage(s.usage)
	r.Usage = &u
	r.Status, r.IncompleteDetails = status(s.finish)
	if s.t.mode != modeAnswer {
		if strings.TrimSpace(s.summary.String()) == "" {
			s.Fail(buf, &hub.Error{Status: http.StatusBadGateway, Type: hub.ServerError, Code: "server_error",
				Message: "The model returned no summary to compact the conversation with."})
			return
		}
		item := s.t.compactionItem(s.summary.String())
		r.Status, r.IncompleteDetails, r.Output = "completed", nil, []any{item}
		s.emit("response.output_item.added", &itemEvent{OutputIndex: 0, Item: item})
		s.emit("response.output_item.done", &itemEvent{OutputIndex: 0, Item: item})
	}
	s.emit("response."+r.Status, &responseEvent{Response: r})
}

// Fail ends the stream with an error event and response.failed. The code is OpenAI's where the gateway has one
// (rate_limit_exceeded, …; Codex retries all but a few), else the error type.
func (s *Stream) Fail(buf *bytes.Buffer, e *hub.Error) {
	s.use(buf)
	code := e.Code
	if code == "" {
		code = e.Type
	}
	var param *string
	if e.Param != "" {
		param = &e.Param
	}
	s.emit("error", &errorEvent{Code: code, Message: e.Message, Param: param,
		Error: errorFields{Type: e.Type, Code: code, Message: e.Message, Param: param}})
	r := s.resp
	r.Status, r.Error, r.IncompleteDetails = "failed", &ErrorObject{Code: code, Message: e.Message}, nil
	u := usage(s.usage)
	r.Usage = &u
	s.emit("response.failed", &responseEvent{Response: r})
}

// emit stamps an event's type and sequence number and writes it.
func (s *Stream) emit(typ string, data interface{ stamp(string, int) }) {
	data.stamp(typ, s.seq)
	s.seq++
	b := s.buf
	b.WriteString("event: ")
	b.WriteString(typ)
	b.WriteString("\ndata: ")
	_ = s.enc.Encode(data) // Encode ends the line; the event types hold nothing that fails
	b.WriteByte('\n')
}

func (h *head) stamp(typ string, seq int) { h.Type, h.SequenceNumber = typ, seq }
