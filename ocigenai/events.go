package ocigenai

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxEventLine bounds one server-sent-event line. The SDK's reader stops at 64 KiB, which a single large
// tool-call or reasoning event can exceed; a few MiB is plenty and still bounds memory.
const MaxEventLine = 8 << 20

// ErrDone is returned by Next after OCI's `data: [DONE]` terminator.
var ErrDone = errors.New("ocigenai: stream done")

// EventReader reads the data payloads of an OCI event stream. OCI sends data-only events, sometimes separated by
// a single newline instead of a blank line, so every `data:` line is one event.
type EventReader struct {
	body io.ReadCloser
	r    *bufio.Reader
	line []byte
	max  int // longest line, newline included
}

// eventBuffer is the reader's own buffer. It stays with a stream for the stream's whole life, mostly waiting for
// the next token, so it is sized for one ordinary event (OCI's are 100-300 bytes); longer lines are assembled in
// line, which is dropped again when it grew past keepLine.
const (
	eventBuffer = 512
	keepLine    = 4 << 10
)

// NewEventReader reads events from body and closes it on Close.
func NewEventReader(body io.ReadCloser) *EventReader {
	return newEventReader(body, eventBuffer, MaxEventLine)
}

// newEventReader lets tests shrink the buffer and the line limit to reach every branch with small inputs.
func newEventReader(body io.ReadCloser, bufSize, maxLine int) *EventReader {
	return &EventReader{body: body, r: bufio.NewReaderSize(body, bufSize), max: maxLine}
}

// Next returns the payload of the next data event. The slice is valid until the following call.
// It returns ErrDone after `[DONE]`, io.EOF when the stream ends without it, and another error for a broken
// stream or an over-long line.
func (er *EventReader) Next() ([]byte, error) {
	for {
		line, err := er.readLine()
		if err != nil {
			return nil, err
		}
		data, ok := bytes.CutPrefix(line, []byte("data:"))
		if !ok {
			continue // blank separators, comments (":"), event:/id:/retry: fields
		}
		data = bytes.TrimPrefix(data, []byte(" "))
		if len(data) == 0 {
			continue
		}
		if bytes.Equal(bytes.TrimSpace(data), []byte("[DONE]")) {
			return nil, ErrDone
		}
		return data, nil
	}
}

func (er *EventReader) readLine() ([]byte, error) {
	if cap(er.line) > keepLine {
		er.line = nil // a long event (a whole tool call, a final answer) must not stay with the stream
	}
	er.line = er.line[:0]
	for {
		chunk, err := er.r.ReadSlice('\n')
		if len(er.line)+len(chunk) > er.max {
			return nil, fmt.Errorf("ocigenai: event line longer than %d bytes", er.max)
		}
		switch {
		case err == nil:
			if len(er.line) == 0 {
				return trimEOL(chunk), nil // common case: no copy
			}
			er.line = append(er.line, chunk...)
			return trimEOL(er.line), nil
		case errors.Is(err, bufio.ErrBufferFull):
			er.line = append(er.line, chunk...)
		case errors.Is(err, io.EOF) && len(er.line)+len(chunk) > 0:
			er.line = append(er.line, chunk...)
			return trimEOL(er.line), nil
		default:
			return nil, err
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// Close closes the underlying connection.
func (er *EventReader) Close() error { return er.body.Close() }
