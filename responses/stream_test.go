package responses

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

// run feeds chunks through a stream and returns the data of its events, checking the grammar every stream must
// keep.
func run(t *testing.T, turn *Turn, chunks []hub.ChatChunk) []string {
	t.Helper()
	s := turn.NewStream()
	var buf bytes.Buffer
	for i := range chunks {
		s.Chunk(&buf, &chunks[i])
	}
	s.Finish(&buf)
	return parseSSE(t, buf.String())
}

// parseSSE splits server-sent events, checks that each is `event: <type>` then `data: <json>` with the same
// type, and checks the stream's grammar; it returns the data lines.
func parseSSE(t *testing.T, text string) []string {
	t.Helper()
	if !strings.HasSuffix(text, "\n\n") {
		t.Fatalf("stream does not end with a blank line: %q", text)
	}
	var types, lines []string
	for _, block := range strings.Split(strings.TrimSuffix(text, "\n\n"), "\n\n") {
		typ, rest, ok := strings.Cut(block, "\n")
		typ, ok1 := strings.CutPrefix(typ, "event: ")
		data, ok2 := strings.CutPrefix(rest, "data: ")
		if !ok || !ok1 || !ok2 || strings.Contains(data, "\n") {
			t.Fatalf("malformed event %q", block)
		}
		types, lines = append(types, typ), append(lines, data)
	}
	checkGrammar(t, types, lines)
	return lines
}

// checkGrammar: data.type is the event's type, sequence numbers count from 0, the stream opens with created and
// in_progress and ends with one terminal event, every item has an id and is added before it is done.
func checkGrammar(t *testing.T, types, lines []string) {
	t.Helper()
	open := map[int]bool{}
	for i, line := range lines {
		var d struct {
			Type        string         `json:"type"`
			Seq         int            `json:"sequence_number"`
			OutputIndex int            `json:"output_index"`
			Item        map[string]any `json:"item"`
		}
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		if d.Type != types[i] || d.Seq != i {
			t.Errorf("event %d (%s): type %q seq %d", i, types[i], d.Type, d.Seq)
		}
		switch d.Type {
		case "response.output_item.added":
			open[d.OutputIndex] = true
		case "response.output_item.done":
			if !open[d.OutputIndex] {
				t.Errorf("item %d done before it was added", d.OutputIndex)
			}
			delete(open, d.OutputIndex)
		}
		if d.Item != nil && d.Item["id"] == "" {
			t.Errorf("item without id: %s", line)
		}
	}
	n := len(types)
	if n < 3 || types[0] != "response.created" || types[1] != "response.in_progress" {
		t.Errorf("stream does not open with created, in_progress: %v", types)
	}
	switch types[n-1] {
	case "response.completed", "response.incomplete", "response.failed":
	default:
		t.Errorf("stream ends with %s", types[n-1])
	}
	if len(open) > 0 && types[n-1] != "response.failed" { // a failure may cut an item short
		t.Errorf("items never done: %v", open)
	}
}

func chunks(t *testing.T, lines string) []hub.ChatChunk {
	t.Helper()
	var out []hub.ChatChunk
	for _, l := range strings.Split(strings.TrimSpace(lines), "\n") {
		var c hub.ChatChunk
		if err := json.Unmarshal([]byte(l), &c); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		out = append(out, c)
	}
	return out
}

func TestStreamReasoningThenText(t *testing.T) {
	turn := decodeTurn(t, `{"model":"m","input":"Hi","stream":true}`)
	got := run(t, turn, chunks(t, `
{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}
{"choices":[{"index":0,"delta":{"reasoning_content":"Think"}}]}
{"choices":[{"index":0,"delta":{"reasoning_content":"ing"}}]}
{"choices":[{"index":0,"delta":{"content":"Hel"}}]}
{"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}
{"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":3,"total_tokens":7}}`))
	resp := `"id":"resp_abc","object":"response","created_at":1700000000,` + echoDefaults + `,"tools":[],"incomplete_details":null`
	msg := `{"id":"msg_abc_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello","annotations":[],"logprobs":[]}]}`
	rs := `{"id":"rs_abc_0","type":"reasoning","summary":[{"type":"summary_text","text":"Thinking"}]}`
	want := []string{
		`{"type":"response.created","sequence_number":0,"response":{` + resp + `,"status":"in_progress","output":[],"usage":null}}`,
		`{"type":"response.in_progress","sequence_number":1,"response":{` + resp + `,"status":"in_progress","output":[],"usage":null}}`,
		`{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"rs_abc_0","type":"reasoning","summary":[]}}`,
		`{"type":"response.reasoning_summary_part.added","sequence_number":3,"item_id":"rs_abc_0","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":""}}`,
		`{"type":"response.reasoning_summary_text.delta","sequence_number":4,"item_id":"rs_abc_0","output_index":0,"summary_index":0,"delta":"Think"}`,
		`{"type":"response.reasoning_summary_text.delta","sequence_number":5,"item_id":"rs_abc_0","output_index":0,"summary_index":0,"delta":"ing"}`,
		`{"type":"response.reasoning_summary_text.done","sequence_number":6,"item_id":"rs_abc_0","output_index":0,"summary_index":0,"text":"Thinking"}`,
		`{"type":"response.reasoning_summary_part.done","sequence_number":7,"item_id":"rs_abc_0","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":"Thinking"}}`,
		`{"type":"response.output_item.done","sequence_number":8,"output_index":0,"item":` + rs + `}`,
		`{"type":"response.output_item.added","sequence_number":9,"output_index":1,"item":{"id":"msg_abc_1","type":"message","status":"in_progress","role":"assistant","content":[]}}`,
		`{"type":"response.content_part.added","sequence_number":10,"item_id":"msg_abc_1","output_index":1,"content_index":0,"part":{"type":"output_text","text":"","annotations":[],"logprobs":[]}}`,
		`{"type":"response.output_text.delta","sequence_number":11,"item_id":"msg_abc_1","output_index":1,"content_index":0,"delta":"Hel","logprobs":[]}`,
		`{"type":"response.output_text.delta","sequence_number":12,"item_id":"msg_abc_1","output_index":1,"content_index":0,"delta":"lo","logprobs":[]}`,
		`{"type":"response.output_text.done","sequence_number":13,"item_id":"msg_abc_1","output_index":1,"content_index":0,"text":"Hello","logprobs":[]}`,
		`{"type":"response.content_part.done","sequence_number":14,"item_id":"msg_abc_1","output_index":1,"content_index":0,"part":{"type":"output_text","text":"Hello","annotations":[],"logprobs":[]}}`,
		`{"type":"response.output_item.done","sequence_number":15,"output_index":1,"item":` + msg + `}`,
		`{"type":"response.completed","sequence_number":16,"response":{` + resp + `,"status":"completed","output":[` + rs + `,` + msg + `],
			"usage":{"input_tokens":4,"input_tokens_details":{"cached_tokens":0},"output_tokens":3,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":7}}}`,
	}
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		sameJSON(t, json.RawMessage(got[i]), want[i])
	}
}

// A tool call's id and name come first and its arguments in fragments (Llama, gpt-oss), or the name comes only
// with a later fragment; a custom tool's input goes out whole once the call is complete.
func TestStreamToolCallFragments(t *testing.T) {
	turn := decodeTurn(t, `{"model":"m","input":"x","stream":true,"tools":[{"type":"custom","name":"apply_patch"},
		{"type":"namespace","name":"ns","tools":[{"type":"function","name":"f"}]}]}`)
	got := run(t, turn, chunks(t, `
{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}
{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"ns__f","arguments":""}}]}}]}
{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\":"}}]}}]}
{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]}}]}
{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"arguments":"{\"input\":\"*** Be"}}]}}]}
{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"name":"apply_patch","arguments":"gin\"}"}}]}}]}
{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}`))
	fc := `{"id":"fc_abc_0","type":"function_call","status":"completed","call_id":"call_1","namespace":"ns","name":"f","arguments":"{\"a\":1}"}`
	ctc := `{"id":"ctc_abc_1","type":"custom_tool_call","status":"completed","call_id":"call_2","name":"apply_patch","input":"*** Begin"}`
	want := []string{
		`{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"fc_abc_0","type":"function_call","status":"in_progress","call_id":"call_1","namespace":"ns","name":"f","arguments":""}}`,
		`{"type":"response.function_call_arguments.delta","sequence_number":3,"item_id":"fc_abc_0","output_index":0,"delta":"{\"a\":"}`,
		`{"type":"response.function_call_arguments.delta","sequence_number":4,"item_id":"fc_abc_0","output_index":0,"delta":"1}"}`,
		`{"type":"response.output_item.added","sequence_number":5,"output_index":1,"item":{"id":"ctc_abc_1","type":"custom_tool_call","status":"in_progress","call_id":"call_2","name":"apply_patch","input":""}}`,
		`{"type":"response.function_call_arguments.done","sequence_number":6,"item_id":"fc_abc_0","output_index":0,"name":"ns__f","arguments":"{\"a\":1}"}`,
		`{"type":"response.output_item.done","sequence_number":7,"output_index":0,"item":` + fc + `}`,
		`{"type":"response.custom_tool_call_input.delta","sequence_number":8,"item_id":"ctc_abc_1","output_index":1,"delta":"*** Begin"}`,
		`{"type":"response.custom_tool_call_input.done","sequence_number":9,"item_id":"ctc_abc_1","output_index":1,"input":"*** Begin"}`,
		`{"type":"response.output_item.done","sequence_number":10,"output_index":1,"item":` + ctc + `}`,
	}
	if len(got) != len(want)+3 {
		t.Fatalf("%d events:\n%s", len(got), strings.Join(got, "\n"))
	}
	for i := range want {
		sameJSON(t, json.RawMessage(got[i+2]), want[i])
	}
	var last struct{ Response Response }
	_ = json.Unmarshal([]byte(got[len(got)-1]), &last)
	sameJSON(t, last.Response.Output, `[`+fc+`,`+ctc+`]`)
}

// Streaming what the hub synthesizes from a whole answer (the Function's buffered path) ends with the same
// response as encoding that answer directly.
func TestStreamMatchesEncode(t *testing.T) {
	cases := map[string]struct{ request, completion string }{
		"tools": {`{"model":"m","input":"x","stream":true,"tools":[{"type":"custom","name":"apply_patch"},{"type":"function","name":"g"}]}`,
			`{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"Doing it.","reasoning_content":"Plan.","tool_calls":[
				{"id":"call_1","type":"function","function":{"name":"apply_patch","arguments":"{\"input\":\"x\"}"}},
				{"id":"call_2","type":"function","function":{"name":"g","arguments":"{}"}}]},"finish_reason":"tool_calls"}],
				"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7,"completion_tokens_details":{"reasoning_tokens":1}}}`},
		"cut": {`{"model":"m","input":"x","stream":true,"max_output_tokens":2}`,
			`{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from"},"finish_reason":"length"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}`},
		"refusal": {`{"model":"m","input":"x","stream":true}`,
			`{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"Well.","refusal":"No."},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			turn := decodeTurn(t, c.request)
			comp := completion(t, c.completion)
			want, _ := json.Marshal(turn.Encode(comp))
			got := run(t, turn, hub.ChunksFromCompletion(comp, true))
			var last struct {
				Response json.RawMessage `json:"response"`
			}
			_ = json.Unmarshal([]byte(got[len(got)-1]), &last)
			sameJSON(t, last.Response, string(want))
		})
	}
}

func TestStreamFail(t *testing.T) {
	turn := decodeTurn(t, `{"model":"m","input":"x","stream":true}`)
	s := turn.NewStream()
	var buf bytes.Buffer
	s.Chunk(&buf, &chunks(t, `{"choices":[{"index":0,"delta":{"content":"Hel"}}]}`)[0])
	s.Fail(&buf, &hub.Error{Status: 429, Type: hub.RateLimit, Code: "rate_limit_exceeded", Message: "OCI rate limit; try again in 2s"})
	ev := parseSSE(t, buf.String())
	if len(ev) != 7 {
		t.Fatalf("%d events", len(ev))
	}
	sameJSON(t, json.RawMessage(ev[5]), `{"type":"error","sequence_number":5,"code":"rate_limit_exceeded","message":"OCI rate limit; try again in 2s","param":null,
		"error":{"type":"rate_limit_error","code":"rate_limit_exceeded","message":"OCI rate limit; try again in 2s","param":null}}`)
	var f struct {
		Type     string
		Response Response
	}
	_ = json.Unmarshal([]byte(ev[6]), &f)
	if f.Type != "response.failed" || f.Response.Status != "failed" || f.Response.Error == nil ||
		f.Response.Error.Code != "rate_limit_exceeded" || f.Response.Usage == nil || len(f.Response.Output) != 1 {
		t.Errorf("got %s", ev[6])
	}
}
