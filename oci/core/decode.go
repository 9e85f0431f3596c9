package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"sync"
)

// DecodeEvent decodes the JSON of one stream event into v, as json.Unmarshal would (trailing space allowed,
// anything else after the value an error). It uses a pooled json.Decoder, whose buffer and scanner are reused:
// an event then leaves about a quarter of json.Unmarshal's garbage, and no stream keeps a decoder of its own
// while it waits for its next event.
func DecodeEvent(data []byte, v any) error {
	d := eventDecoders.Get().(*eventDecoder)
	d.rd.Reset(data)
	d.fed += int64(len(data))
	err := d.dec.Decode(v)
	if rest := d.fed - d.dec.InputOffset(); err == nil && len(bytes.TrimLeft(data[len(data)-int(rest):], " \t\r\n")) > 0 {
		err = errTrailingData // `{…} x`: the value did not span the whole event
	}
	if err != nil {
		return err // a Decoder keeps its error and unread bytes: this one is not reused
	}
	eventDecoders.Put(d) // trailing space it still holds is skipped by its next Decode
	return nil
}

// Reuse empties s to decode the next event into, keeping its array. The elements are zeroed: encoding/json decodes
// an array into the elements it finds there without zeroing them first.
func Reuse[T any](s []T) []T {
	clear(s[:cap(s)])
	return s[:0]
}

type eventDecoder struct {
	rd  bytes.Reader
	dec *json.Decoder
	fed int64 // bytes given to dec so far; those after its InputOffset are the current event's tail
}

var eventDecoders = sync.Pool{New: func() any {
	d := new(eventDecoder)
	d.dec = json.NewDecoder(&d.rd)
	return d
}}

// errTrailingData is json.Unmarshal's error for `{…} x`, without the offset.
var errTrailingData = errors.New("invalid character after top-level value")
