package translator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
)

// Cohere (V1) tool calls carry no id, so the OpenAI ids are derived from the
// call itself: "call_" + the first 24 hex digits of
// sha256("<position>|<name>|<canonical arguments>"), the scheme litellm uses.
// Position is the call's index in the response (the OpenAI tool-call index),
// canonical arguments are the parameters re-encoded with sorted keys. The
// same call at the same position always gets the same id, in a non-streaming
// answer and in a stream alike, so a client that replays a conversation sees
// stable ids. (A request never needs them back: tool messages are resolved
// against the assistant message of the same request.)

// cohereCallID returns the stable id of the call at position.
func cohereCallID(position int, name, args string) string {
	h := sha256.New()
	h.Write([]byte(strconv.Itoa(position)))
	h.Write([]byte{'|'})
	h.Write([]byte(name))
	h.Write([]byte{'|'})
	h.Write([]byte(canonicalJSON(args)))
	var sum [sha256.Size]byte
	return "call_" + hex.EncodeToString(h.Sum(sum[:0]))[:24]
}

// canonicalJSON re-encodes a JSON value with sorted object keys and no
// insignificant whitespace (numbers keep their literal form); text that is
// not JSON is returned unchanged.
func canonicalJSON(s string) string {
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || d.More() {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return s
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte{'\n'}))
}

// compactArgs turns Cohere tool-call parameters (a JSON value, usually an
// object) into OpenAI's arguments string: compact JSON in the order OCI
// sent; "{}" when absent or null.
func compactArgs(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return "{}"
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return "{}"
	}
	return b.String()
}
