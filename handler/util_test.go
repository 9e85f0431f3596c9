package handler_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3/option"

	"github.com/ociai/ociai-proxy/handler"
)

func stringsReader(s string) io.Reader {
	if s == "" {
		return nil
	}
	return strings.NewReader(s)
}

// apiErr is the OpenAI error body.
type apiErr struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	} `json:"error"`
}

func decodeErr(t *testing.T, res *http.Response) apiErr {
	t.Helper()
	var e apiErr
	body, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Message == "" || e.Error.Type == "" {
		t.Fatalf("not an OpenAI error body (%v): %s", err, body)
	}
	return e
}

func code(e apiErr) string {
	if e.Error.Code == nil {
		return ""
	}
	return *e.Error.Code
}

// sseEvents reads a whole SSE body and returns the data payloads in order.
func sseEvents(t *testing.T, res *http.Response) []string {
	t.Helper()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, block := range strings.Split(string(body), "\n\n") {
		if d, ok := strings.CutPrefix(block, "data: "); ok {
			out = append(out, d)
		} else if strings.TrimSpace(block) != "" {
			t.Fatalf("malformed SSE block %q", block)
		}
	}
	return out
}

type handlerOptions = handler.Options

var optionAPIKey = option.WithAPIKey
