package ocisim_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/ocisim"
)

// canon re-encodes JSON with sorted keys so expectations can be written in
// wire order.
func canon(t testing.TB, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad expectation %q: %v", s, err)
	}
	return jsonString(t, v)
}

// wantEvents compares decoded events (pad removed) with expectations.
func wantEvents(t testing.TB, got []map[string]any, want ...string) {
	t.Helper()
	g := make([]string, len(got))
	for i, m := range got {
		g[i] = jsonString(t, m)
	}
	w := make([]string, len(want))
	for i, s := range want {
		w[i] = canon(t, s)
	}
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
}

func streamBody(model string, usage bool, extra map[string]any, msgs ...map[string]any) map[string]any {
	x := map[string]any{"isStream": true}
	if usage {
		x["streamOptions"] = map[string]any{"isIncludeUsage": true}
	}
	for k, v := range extra {
		x[k] = v
	}
	return generic(model, x, msgs...)
}

const (
	empty = `{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":""}]}}`
)

func tok(s string) string {
	return `{"index":0,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":` + quote(s) + `}]}}`
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestStreamGenericText(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	cases := []struct {
		model string
		usage bool
		want  []string
	}{
		{"xai.grok-4", false, []string{empty, tok("Hello "), tok("from "), tok("xai.grok-4! "), tok("You "), tok("said: "), tok("hi"),
			`{"finishReason":"stop"}`}},
		{"meta.llama-3.3-70b-instruct", true, []string{empty, tok("Hello "), tok("from "), tok("meta.llama-3.3-70b-instruct! "), tok("You "), tok("said: "),
			`{"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"hi"}]},"finishReason":"stop"}`,
			`{"usage":{"completionTokens":6,"promptTokens":1,"totalTokens":7,"promptTokensDetails":{"cachedTokens":0}}}`}},
		{"openai.gpt-4.1", true, []string{empty, tok("Hello "), tok("from "), tok("openai.gpt-4.1! "), tok("You "), tok("said: "), tok("hi"),
			`{"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":""}]},"finishReason":"stop"}`,
			`{"usage":{"completionTokens":6,"promptTokens":1,"totalTokens":7,"promptTokensDetails":{"cachedTokens":0}}}`}},
		{"google.gemini-2.5-flash", false, []string{empty, tok("Hello "), tok("from "), tok("google.gemini-2.5-flash! "), tok("You "), tok("said: "), tok("hi"),
			`{"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":""}]},"finishReason":"stop"}`}},
	}
	for _, c := range cases {
		t.Run(c.model, func(t *testing.T) {
			resp, data := e.stream(streamBody(c.model, c.usage, nil, userMsg("hi")))
			wantEq(t, "content-type", resp.Header.Get("Content-Type"), "text/event-stream")
			if resp.Header.Get("opc-request-id") == "" {
				t.Error("no opc-request-id")
			}
			wantEq(t, "last", data[len(data)-1], "[DONE]")
			wantEvents(t, decodeEvents(t, data), c.want...)
		})
	}
}

func TestStreamFraming(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	resp := e.post("/20231130/actions/chat", streamBody("xai.grok-4", false, nil, userMsg("hi")))
	raw := readAll(t, resp)
	if !strings.HasPrefix(raw, `data: {"index":0,`) || !strings.HasSuffix(raw, "}\n\ndata: [DONE]\n\n") {
		t.Errorf("framing: %q", raw)
	}
	if strings.Count(raw, "\n\n") != strings.Count(raw, "data: ") {
		t.Errorf("every event must end with a blank line: %q", raw)
	}
	// pads vary in length
	pads := map[int]bool{}
	for _, ev := range decodeEventsRaw(t, raw) {
		pads[len(ev["pad"].(string))] = true
	}
	if len(pads) < 3 {
		t.Errorf("pad lengths do not vary: %v", pads)
	}
}

func decodeEventsRaw(t testing.TB, raw string) []map[string]any {
	var out []map[string]any
	for _, d := range readEvents(t, strings.NewReader(raw)) {
		var m map[string]any
		if json.Unmarshal([]byte(d), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

func TestStreamOmitDone(t *testing.T) {
	e := newEnv(t, ocisim.Options{OmitDone: true})
	_, data := e.stream(streamBody("xai.grok-4", true, nil, userMsg("hi")))
	if last := data[len(data)-1]; !strings.Contains(last, `"usage"`) {
		t.Errorf("last event %q, want the usage event and no [DONE]", last)
	}
}

func TestStreamReasoning(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	_, data := e.stream(streamBody("xai.grok-3-mini", true, map[string]any{"maxTokens": 2}, userMsg("why so")))
	r := func(s string) string {
		return `{"index":0,"message":{"role":"ASSISTANT","reasoningContent":` + quote(s) + `}}`
	}
	wantEvents(t, decodeEvents(t, data),
		empty, r("Thinking "), r("about: "), r("why "), r("so"),
		tok("Hello "), tok("from "),
		`{"finishReason":"length"}`,
		`{"usage":{"completionTokens":6,"promptTokens":2,"totalTokens":8,"completionTokensDetails":{"reasoningTokens":4},"promptTokensDetails":{"cachedTokens":0}}}`)
}

var streamTools = map[string]any{"tools": []any{
	map[string]any{"type": "FUNCTION", "name": "get_weather", "parameters": map[string]any{"type": "object",
		"properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []string{"city"}}},
	map[string]any{"type": "FUNCTION", "name": "get_time"},
}}

func TestStreamToolCallsPatternA(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	_, data := e.stream(streamBody("xai.grok-4", false, streamTools, userMsg("call get_weather and get_time for Lima")))
	wantEvents(t, decodeEvents(t, data),
		`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"`+id("get_weather", 0)+`","name":"get_weather","arguments":"{\"city\":\"Lima\"}"}]}}`,
		`{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"`+id("get_time", 1)+`","name":"get_time","arguments":"{}"}]}}`,
		`{"finishReason":"tool_calls"}`)
}

func TestStreamToolCallsPatternB(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	for _, c := range []struct {
		model string
		ids   bool
	}{{"meta.llama-3.3-70b-instruct", true}, {"openai.gpt-oss-120b", true}, {"google.gemini-2.5-pro", false}} {
		t.Run(c.model, func(t *testing.T) {
			_, data := e.stream(streamBody(c.model, false, streamTools, userMsg("use get_weather for Lima")))
			evs := decodeEvents(t, data)
			head := `{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"` + id("get_weather", 0) + `","name":"get_weather"}]}}`
			if !c.ids {
				head = `{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","name":"get_weather"}]}}`
			}
			frag := func(s string) string {
				return `{"index":0,"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":` + quote(s) + `}]}}`
			}
			want := []string{head, frag(`{"cit`), frag(`y":"L`), frag(`ima"}`),
				`{"message":{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","arguments":""}]},"finishReason":"tool_calls"}`}
			if c.model == "openai.gpt-oss-120b" { // reasoning model: reasoning first
				r := func(s string) string {
					return `{"index":0,"message":{"role":"ASSISTANT","reasoningContent":` + quote(s) + `}}`
				}
				want = append([]string{r("Thinking "), r("about: "), r("use "), r("get_weather "), r("for "), r("Lima")}, want...)
			}
			wantEvents(t, evs, want...)
		})
	}
}

// id recomputes the documented tool-call id rule.
func id(name string, i int) string {
	h := uint32(2166136261)
	for _, c := range []byte(name + "#" + string(rune('0'+i))) {
		h ^= uint32(c)
		h *= 16777619
	}
	return "call_" + hex8(h)
}

func hex8(v uint32) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 8)
	for i := 7; i >= 0; i-- {
		b[i] = digits[v&0xf]
		v >>= 4
	}
	return string(b)
}

func TestStreamNumGenerations(t *testing.T) {
	e := newEnv(t, ocisim.Options{})
	_, data := e.stream(streamBody("xai.grok-4", false, map[string]any{"numGenerations": 2, "maxTokens": 1}, userMsg("hi")))
	tk := func(i int, s string) string {
		return `{"index":` + string(rune('0'+i)) + `,"message":{"role":"ASSISTANT","content":[{"type":"TEXT","text":"` + s + `"}]}}`
	}
	wantEvents(t, decodeEvents(t, data),
		tk(0, ""), tk(0, "Hello "), `{"index":0,"finishReason":"length"}`,
		tk(1, ""), tk(1, "Hello "), `{"index":1,"finishReason":"length"}`)
}
