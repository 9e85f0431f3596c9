package ocigenai

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func readAll(t *testing.T, body string) ([]string, error) {
	t.Helper()
	er := NewEventReader(io.NopCloser(strings.NewReader(body)))
	var out []string
	for {
		data, err := er.Next()
		if err != nil {
			return out, err
		}
		out = append(out, string(data))
	}
}

func TestEventReader(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
		end        error
	}{
		{"blank-line separated", "data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n", []string{`{"a":1}`, `{"a":2}`}, ErrDone},
		{"single newline separated", "data: {\"a\":1}\ndata: {\"a\":2}\n", []string{`{"a":1}`, `{"a":2}`}, io.EOF},
		{"no space after colon, CRLF", "data:{\"a\":1}\r\n\r\n", []string{`{"a":1}`}, io.EOF},
		{"comments and other fields skipped", ": keep-alive\nevent: message\nid: 7\nretry: 10\ndata: x\n\n", []string{"x"}, io.EOF},
		{"last line without newline", "data: {\"a\":1}\n\ndata: tail", []string{`{"a":1}`, "tail"}, io.EOF},
		{"empty data lines skipped", "data:\ndata: \ndata: y\n", []string{"y"}, io.EOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(t, tc.body)
			if !errors.Is(err, tc.end) || strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("got %q, %v; want %q, %v", got, err, tc.want, tc.end)
			}
		})
	}
}

func TestEventReaderLongLines(t *testing.T) {
	// The SDK's reader fails past 64 KiB; a 3 MiB event must pass whole.
	big := strings.Repeat("x", 3<<20)
	got, err := readAll(t, "data: "+big+"\n\ndata: small\n\n")
	if !errors.Is(err, io.EOF) || len(got) != 2 || got[0] != big || got[1] != "small" {
		t.Fatalf("got %d events, err %v", len(got), err)
	}
	_, err = readAll(t, "data: "+strings.Repeat("y", MaxEventLine+1)+"\n")
	if err == nil || errors.Is(err, io.EOF) {
		t.Fatalf("an over-long line must be an error, got %v", err)
	}
}

func TestRegionalEndpoint(t *testing.T) {
	for region, want := range map[string]string{
		"us-chicago-1":    "https://inference.generativeai.us-chicago-1.oci.oraclecloud.com",
		"uk-gov-london-1": "https://inference.generativeai.uk-gov-london-1.oci.oraclegovcloud.uk",
		"eu-frankfurt-2":  "https://inference.generativeai.eu-frankfurt-2.oci.oraclecloud.eu",
		"":                "",
	} {
		if got := RegionalEndpoint(region); got != want {
			t.Errorf("%q: %s, want %s", region, got, want)
		}
	}
}
