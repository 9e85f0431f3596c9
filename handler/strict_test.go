package handler_test

import (
	"io"
	"strings"
	"testing"
)

// A body whose keys mean two things is refused with a 400 naming the key, before anything reaches OCI; keys the
// gateway does not know stay accepted, in any case.
func TestAmbiguousKeys(t *testing.T) {
	e := newEnv(t)
	const msgs = `"messages":[{"role":"user","content":"x"}]`
	for _, tc := range []struct{ path, body, param, code string }{
		{chatPath, `{"model":"grok","MODEL":"llama",` + msgs + `}`, "MODEL", "key_case_mismatch"},
		{chatPath, `{"model":"grok","model":"llama",` + msgs + `}`, "model", "duplicate_key"},
		{chatPath, `{"model":"grok",` + msgs + `,"Messages":[{"role":"system","content":"y"}]}`, "Messages", "key_case_mismatch"},
		{chatPath, `{"model":"grok","messages":[{"role":"user","content":"x","Content":"y"}]}`, "messages[0].Content", "key_case_mismatch"},
		{chatPath, `{"model":"grok","messages":[{"role":"user","content":[{"type":"text","text":"a","text":"b"}]}]}`, "messages[0].content[0].text", "duplicate_key"},
		{chatPath, `{"model":"grok",` + msgs + `,"tool_choice":{"type":"function","function":{"name":"f","Name":"g"}}}`, "tool_choice.function.Name", "key_case_mismatch"},
		{chatPath, `{"model":"grok",` + msgs + `,"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","type":"string"}}}]}`, "tools[0].function.parameters.type", "duplicate_key"},
		{chatPath, `{"model":"grok",` + msgs + `,"stream":false,"Stream":true}`, "Stream", "key_case_mismatch"},
		{"/v1/embeddings", `{"model":"embed","input":"a","INPUT":"b"}`, "INPUT", "key_case_mismatch"},
		{"/v1/embeddings", `{"model":"embed","input":"a","input":["b","c"]}`, "input", "duplicate_key"},
	} {
		res := e.do(t, "POST", tc.path, tc.body)
		er := decodeErr(t, res)
		if res.StatusCode != 400 || code(er) != tc.code || er.Error.Param == nil || *er.Error.Param != tc.param {
			t.Errorf("%s: %d %s param %v: %s", tc.body, res.StatusCode, code(er), er.Error.Param, er.Error.Message)
		}
		key := tc.param[strings.LastIndexAny(tc.param, ".]")+1:]
		if !strings.Contains(er.Error.Message, `"`+key+`"`) {
			t.Errorf("%s: the message does not name %q: %s", tc.body, key, er.Error.Message)
		}
	}
	if n := len(e.sim.Requests()); n != 0 {
		t.Fatalf("%d ambiguous requests reached OCI", n)
	}
	// Unknown keys, in any spelling, are still fine: clients add fields all the time.
	res := e.do(t, "POST", chatPath, `{"model":"grok",`+msgs+`,"x_trace":1,"X_Trace":2,"metadata":{"a":"1","A":"2"}}`)
	if body, _ := io.ReadAll(res.Body); res.StatusCode != 200 {
		t.Fatalf("unknown keys: %d %s", res.StatusCode, body)
	}
}
