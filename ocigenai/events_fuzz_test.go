package ocigenai

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// refEvents is the event reader's contract written the slow, obvious way: split into lines, drop the
// line ending, keep `data:` payloads; a line longer than maxLine (newline included) ends the stream with an error.
func refEvents(data []byte, maxLine int) (events [][]byte, end string) {
	for len(data) > 0 {
		raw := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		if len(raw) > maxLine {
			return events, "too long"
		}
		line := trimEOL(raw)
		payload, ok := bytes.CutPrefix(line, []byte("data:"))
		if !ok {
			continue
		}
		payload = bytes.TrimPrefix(payload, []byte(" "))
		if len(payload) == 0 {
			continue
		}
		if bytes.Equal(bytes.TrimSpace(payload), []byte("[DONE]")) {
			return events, "done"
		}
		events = append(events, payload)
	}
	return events, "eof"
}

// FuzzEventReader feeds arbitrary bytes, in arbitrary read sizes, through the reader with a small buffer and a
// small line limit: it never panics, never returns a payload longer than the limit, and agrees with refEvents.
func FuzzEventReader(f *testing.F) {
	for _, s := range []string{
		"data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n",
		"data:{\"a\":1}\r\n\r\ndata: tail",
		": keep-alive\nevent: message\nid: 7\nretry: 10\ndata: x\n\n",
		"data:\ndata: \ndata:  [DONE] \n",
		"data: " + string(bytes.Repeat([]byte("x"), 100)) + "\ndata: y\n",
		"\r\r\n\n\x00data: \xff\xfe\n",
	} {
		f.Add([]byte(s), uint8(0), uint16(64))
		f.Add([]byte(s), uint8(1), uint16(20))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8, maxLine uint16) {
		limit := 16 + int(maxLine)%512
		var src io.Reader = bytes.NewReader(data)
		switch mode % 3 {
		case 1:
			src = iotest.OneByteReader(src)
		case 2:
			src = iotest.HalfReader(src)
		}
		er := newEventReader(io.NopCloser(src), 16, limit)
		wantEvents, wantEnd := refEvents(data, limit)
		for i := 0; ; i++ {
			got, err := er.Next()
			if err != nil {
				end := "too long"
				switch {
				case errors.Is(err, ErrDone):
					end = "done"
				case errors.Is(err, io.EOF):
					end = "eof"
				}
				if end != wantEnd || i != len(wantEvents) {
					t.Fatalf("ended with %v after %d events; want %s after %d", err, i, wantEnd, len(wantEvents))
				}
				return
			}
			if len(got) > limit {
				t.Fatalf("event of %d bytes over the %d-byte line limit", len(got), limit)
			}
			if i >= len(wantEvents) || !bytes.Equal(got, wantEvents[i]) {
				t.Fatalf("event %d = %q; want %q", i, got, wantEvents)
			}
		}
	})
}
