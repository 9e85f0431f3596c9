package responses

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

// FuzzDecode: any body is either a clear 4xx or a turn whose answer, whole and streamed, encodes to valid JSON;
// nothing panics.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"model":"m","input":"Hi"}`,
		`{"model":"m","stream":true,"input":[{"role":"developer","content":"x"},{"role":"user","content":[{"type":"input_text","text":"y"},{"type":"input_image","image_url":"https://i"}]}]}`,
		`{"model":"m","tools":[{"type":"custom","name":"apply_patch","format":{"type":"grammar","syntax":"lark","definition":"s"}},{"type":"namespace","name":"ns","tools":[{"type":"function","name":"f"}]},{"type":"web_search"}],"tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"f","namespace":"ns"}]},"input":[{"role":"user","content":"u"},{"type":"reasoning","summary":[{"type":"summary_text","text":"r"}]},{"type":"custom_tool_call","call_id":"c","name":"apply_patch","input":"p"},{"type":"custom_tool_call_output","call_id":"c","output":[{"type":"input_text","text":"o"}]}]}`,
		`{"model":"m","input":[{"role":"user","content":"u"},{"type":"compaction_trigger"}],"stream":true}`,
		`{"model":"m","input":[{"type":"compaction","encrypted_content":"ociai1.AAAA"}],"text":{"format":{"type":"json_schema","name":"n","schema":{}}},"reasoning":{"effort":"max"}}`,
	} {
		f.Add([]byte(seed))
	}
	sealer := NewSealer(func() []byte { return []byte("fuzz") })
	text, calls := "answer", []hub.ToolCall{
		{ID: "call_1", Type: "function", Function: hub.FunctionCall{Name: "ns__f", Arguments: `{"a":1}`}},
		{ID: "call_2", Type: "function", Function: hub.FunctionCall{Name: "apply_patch", Arguments: `{"input":"x"}`}},
	}
	comp := &hub.ChatCompletion{Choices: []hub.Choice{{Message: hub.ResponseMessage{Role: "assistant", Content: &text, ReasoningContent: "r", ToolCalls: calls}, FinishReason: "tool_calls"}},
		Usage: &hub.Usage{PromptTokens: 1, CompletionTokens: 2, TotalTokens: 3}}
	f.Fuzz(func(t *testing.T, body []byte) {
		turn, e := Decode(body, sealer)
		if e != nil {
			if e.Status < 400 || e.Status >= 600 || e.Message == "" {
				t.Fatalf("error %+v", e)
			}
			return
		}
		if _, err := json.Marshal(turn.Encode(comp)); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		s := turn.NewStream()
		for _, ch := range hub.ChunksFromCompletion(comp, true) {
			s.Chunk(&buf, &ch)
		}
		s.Finish(&buf)
		for _, block := range strings.Split(strings.TrimSuffix(buf.String(), "\n\n"), "\n\n") {
			_, data, _ := strings.Cut(block, "\ndata: ")
			if !json.Valid([]byte(data)) {
				t.Fatalf("event %q", block)
			}
		}
	})
}
