package handler_test

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ociai/ociai-proxy/ocisim"
)

// Hostile and malformed input: whatever a client sends, the answer is a 200 or an OpenAI-shaped 4xx, the
// gateway keeps serving, and nothing the gateway refuses reaches OCI.

// chunkedPost is a raw POST whose body is sent in chunks of at most 1000 bytes, with no Content-Length.
func chunkedPost(path, body string) string {
	var b strings.Builder
	b.WriteString("POST " + path + " HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + testKey +
		"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
	for len(body) > 0 {
		n := min(len(body), 1000)
		b.WriteString(strconv.FormatInt(int64(n), 16) + "\r\n" + body[:n] + "\r\n")
		body = body[n:]
	}
	b.WriteString("0\r\n\r\n")
	return b.String()
}

func TestChunkedBodyOverLimit(t *testing.T) {
	e := newEnv(t, func(o *handlerOptions) { o.MaxBodyBytes = 4096 })
	for _, size := range []int{5000, 256 << 10} {
		body := `{"model":"llama","messages":[{"role":"user","content":"` + strings.Repeat("a", size) + `"}]}`
		_, res := rawRequest(t, e, chunkedPost(chatPath, body))
		if er := decodeErr(t, res); res.StatusCode != http.StatusRequestEntityTooLarge || code(er) != "request_too_large" {
			t.Errorf("%d-byte chunked body: status %d %+v", size, res.StatusCode, er.Error)
		}
	}
	// Under the limit, chunked, is fine.
	if _, res := rawRequest(t, e, chunkedPost(chatPath, plainBody)); res.StatusCode != 200 {
		t.Fatalf("small chunked body: %d", res.StatusCode)
	}
	if n := len(e.sim.Requests()); n != 1 {
		t.Errorf("%d requests reached OCI, want only the valid one", n)
	}
}

func TestDeeplyNestedJSON(t *testing.T) {
	e := newEnv(t)
	const depth = 100_000
	arrays := strings.Repeat("[", depth) + strings.Repeat("]", depth)
	objects := strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
	for name, body := range map[string]string{
		"unknown field":   `{"model":"llama","messages":[{"role":"user","content":"x"}],"x":` + arrays + `}`,
		"metadata":        `{"model":"llama","messages":[{"role":"user","content":"x"}],"metadata":` + objects + `}`,
		"content":         `{"model":"llama","messages":[{"role":"user","content":` + arrays + `}]}`,
		"tool parameters": `{"model":"command-a","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":` + objects + `}}]}`,
		"stop":            `{"model":"llama","messages":[{"role":"user","content":"x"}],"stop":` + arrays + `}`,
	} {
		res := e.do(t, "POST", chatPath, body)
		if er := decodeErr(t, res); res.StatusCode != 400 || code(er) != "invalid_json" {
			t.Errorf("%s: status %d %+v", name, res.StatusCode, er.Error)
		}
	}
	if n := len(e.sim.Requests()); n != 0 {
		t.Errorf("%d over-deep requests reached OCI", n)
	}
	// Deep but within the JSON decoder's limit: translated (Cohere walks the schema) or refused, never a 500.
	legal := strings.Repeat(`{"type":"object","properties":{"a":`, 3000) + `{"type":"string"}` + strings.Repeat("}}", 3000)
	for _, model := range []string{"llama", "command-a", "command-a-vision"} {
		res := e.do(t, "POST", chatPath, `{"model":"`+model+`","messages":[{"role":"user","content":"call f"}],"tools":[{"type":"function","function":{"name":"f","parameters":`+legal+`}}]}`)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 && (res.StatusCode != 400 || !json.Valid(body)) {
			t.Errorf("%s, 3000-deep schema: %d %.300s", model, res.StatusCode, body)
		}
	}
}

func TestInvalidUTF8(t *testing.T) {
	e := newEnv(t)
	// encoding/json turns invalid UTF-8 into U+FFFD; the gateway passes the repaired text on and answers valid JSON.
	body := []byte("{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"bad \xff\xfe bytes \xc3\"}]}")
	if utf8.Valid(body) {
		t.Fatal("the test body should not be UTF-8")
	}
	res := e.do(t, "POST", chatPath, string(body))
	out, _ := io.ReadAll(res.Body)
	var comp struct {
		Choices []struct{ Message struct{ Content string } }
	}
	if res.StatusCode != 200 || !utf8.Valid(out) || json.Unmarshal(out, &comp) != nil {
		t.Fatalf("status %d, valid UTF-8 %v: %s", res.StatusCode, utf8.Valid(out), out)
	}
	if got := comp.Choices[0].Message.Content; !strings.Contains(got, "bad \ufffd\ufffd bytes \ufffd") {
		t.Errorf("content %q", got)
	}
	if sent := e.sim.Requests()[0].Body; !utf8.Valid(sent) {
		t.Errorf("invalid UTF-8 reached OCI: %q", sent)
	}
	// In the model name: a 404 whose JSON is still valid UTF-8.
	res = e.do(t, "POST", chatPath, "{\"model\":\"ll\xffama\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
	out, _ = io.ReadAll(res.Body)
	if res.StatusCode != 404 || !utf8.Valid(out) || !json.Valid(out) {
		t.Errorf("model with invalid UTF-8: %d %q", res.StatusCode, out)
	}
}

// Every field of the chat request given a value of the wrong kind: a 400 whose param names it. The fields the
// gateway only drops without reading (prompt_cache_options, moderation) take any JSON and are not listed.
func TestWrongTypeInEveryField(t *testing.T) {
	e := newEnv(t)
	const base = `"model":"llama","messages":[{"role":"user","content":"x"}]`
	for _, tc := range []struct{ param, body string }{
		{"model", `{"model":5,"messages":[{"role":"user","content":"x"}]}`},
		{"messages", `{"model":"llama","messages":{"role":"user"}}`},
		{"messages", `{"model":"llama","messages":["hi"]}`},
		{"messages.role", `{"model":"llama","messages":[{"role":1,"content":"x"}]}`},
		{"messages.content", `{"model":"llama","messages":[{"role":"user","content":1}]}`},
		{"messages.content.type", `{"model":"llama","messages":[{"role":"user","content":[{"type":1}]}]}`},
		{"messages.content.text", `{"model":"llama","messages":[{"role":"user","content":[{"type":"text","text":[]}]}]}`},
		{"messages.content.image_url", `{"model":"llama","messages":[{"role":"user","content":[{"type":"image_url","image_url":"u"}]}]}`},
		{"messages.name", `{"model":"llama","messages":[{"role":"user","content":"x","name":{}}]}`},
		{"messages.tool_calls", `{"model":"llama","messages":[{"role":"assistant","tool_calls":"x"}]}`},
		{"messages.tool_calls.function.arguments", `{"model":"llama","messages":[{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":{}}}]}]}`},
		{"messages.tool_call_id", `{"model":"llama","messages":[{"role":"tool","tool_call_id":7,"content":"r"}]}`},
		{"messages.refusal", `{"model":"llama","messages":[{"role":"assistant","content":"x","refusal":1}]}`},
		{"stream", `{` + base + `,"stream":"yes"}`},
		{"stream_options", `{` + base + `,"stream_options":true}`},
		{"stream_options.include_usage", `{` + base + `,"stream_options":{"include_usage":"yes"}}`},
		{"max_tokens", `{` + base + `,"max_tokens":"10"}`},
		{"max_tokens", `{` + base + `,"max_tokens":1.5}`},
		{"max_completion_tokens", `{` + base + `,"max_completion_tokens":[]}`},
		{"temperature", `{` + base + `,"temperature":"hot"}`},
		{"top_p", `{` + base + `,"top_p":{}}`},
		{"frequency_penalty", `{` + base + `,"frequency_penalty":true}`},
		{"presence_penalty", `{` + base + `,"presence_penalty":"0"}`},
		{"stop", `{` + base + `,"stop":5}`},
		{"stop", `{` + base + `,"stop":[5]}`},
		{"seed", `{` + base + `,"seed":"42"}`},
		{"n", `{` + base + `,"n":"2"}`},
		{"response_format", `{` + base + `,"response_format":"json"}`},
		{"response_format.type", `{` + base + `,"response_format":{"type":1}}`},
		{"response_format.json_schema", `{` + base + `,"response_format":{"type":"json_schema","json_schema":"s"}}`},
		{"response_format.json_schema.schema", `{` + base + `,"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":"s"}}}`},
		{"response_format.json_schema.strict", `{` + base + `,"response_format":{"type":"json_schema","json_schema":{"name":"n","strict":"yes"}}}`},
		{"reasoning_effort", `{` + base + `,"reasoning_effort":1}`},
		{"tools", `{` + base + `,"tools":{"type":"function"}}`},
		{"tools.type", `{` + base + `,"tools":[{"type":1,"function":{"name":"f"}}]}`},
		{"tools.function", `{` + base + `,"tools":[{"type":"function","function":"f"}]}`},
		{"tools.function.name", `{` + base + `,"tools":[{"type":"function","function":{"name":1}}]}`},
		{"tools.function.description", `{` + base + `,"tools":[{"type":"function","function":{"name":"f","description":[]}}]}`},
		{"tools.function.parameters", `{` + base + `,"tools":[{"type":"function","function":{"name":"f","parameters":"{}"}}]}`},
		{"tools.function.strict", `{` + base + `,"tools":[{"type":"function","function":{"name":"f","strict":"no"}}]}`},
		{"tool_choice", `{` + base + `,"tool_choice":1}`},
		{"tool_choice.function", `{` + base + `,"tool_choice":{"type":"function","function":"f"}}`},
		{"parallel_tool_calls", `{` + base + `,"parallel_tool_calls":"no"}`},
		{"user", `{` + base + `,"user":1}`},
		{"logprobs", `{` + base + `,"logprobs":1}`},
		{"top_logprobs", `{` + base + `,"top_logprobs":"2"}`},
		{"logit_bias", `{` + base + `,"logit_bias":[1]}`},
		{"metadata", `{` + base + `,"metadata":"m"}`},
		{"service_tier", `{` + base + `,"service_tier":1}`},
		{"verbosity", `{` + base + `,"verbosity":true}`},
		{"prediction", `{` + base + `,"prediction":"p"}`},
		{"prediction.content", `{` + base + `,"prediction":{"type":"content","content":1}}`},
		{"web_search_options", `{` + base + `,"web_search_options":[]}`},
		{"web_search_options.user_location", `{` + base + `,"web_search_options":{"user_location":"here"}}`},
		{"top_k", `{` + base + `,"top_k":"5"}`},
		{"store", `{` + base + `,"store":"no"}`},
		{"modalities", `{` + base + `,"modalities":"text"}`},
		{"audio", `{` + base + `,"audio":"a"}`},
		{"functions", `{` + base + `,"functions":{}}`},
		{"function_call", `{` + base + `,"function_call":1}`},
		{"safety_identifier", `{` + base + `,"safety_identifier":1}`},
		{"prompt_cache_key", `{` + base + `,"prompt_cache_key":1}`},
		{"prompt_cache_retention", `{` + base + `,"prompt_cache_retention":24}`},
	} {
		res := e.do(t, "POST", chatPath, tc.body)
		er := decodeErr(t, res)
		if res.StatusCode != 400 || er.Error.Param == nil || *er.Error.Param != tc.param || er.Error.Type != "invalid_request_error" {
			t.Errorf("%s: status %d param %v: %s", tc.body, res.StatusCode, er.Error.Param, er.Error.Message)
		}
		if strings.Contains(er.Error.Message, "hub.") {
			t.Errorf("%s: Go type names in the message: %s", tc.param, er.Error.Message)
		}
	}
	if n := len(e.sim.Requests()); n != 0 {
		t.Errorf("%d ill-typed requests reached OCI", n)
	}
}

func TestTenThousandMessages(t *testing.T) {
	e := newEnv(t)
	var b strings.Builder
	b.WriteString(`{"model":"llama","messages":[{"role":"system","content":"be brief"}`)
	for i := 1; i < 10_000; i++ {
		role := "user"
		if i%2 == 0 {
			role = "assistant"
		}
		b.WriteString(`,{"role":"` + role + `","content":"message ` + strconv.Itoa(i) + `"}`)
	}
	b.WriteString(`]}`)
	res := e.do(t, "POST", chatPath, b.String())
	if body, _ := io.ReadAll(res.Body); res.StatusCode != 200 || !strings.Contains(string(body), "You said: message 9999") {
		t.Fatalf("status %d %.300s", res.StatusCode, body)
	}
	var sent struct {
		ChatRequest struct{ Messages []json.RawMessage } `json:"chatRequest"`
	}
	if err := json.Unmarshal(e.sim.Requests()[0].Body, &sent); err != nil || len(sent.ChatRequest.Messages) != 10_000 {
		t.Fatalf("OCI got %d messages (%v)", len(sent.ChatRequest.Messages), err)
	}
}

func TestLargeImageDataURL(t *testing.T) {
	e := newEnv(t)
	raw := make([]byte, 3_750_000) // 5,000,000 base64 characters
	rand.Read(raw)
	url := "data:image/png;base64," + base64.StdEncoding.EncodeToString(raw)
	body := `{"model":"llama","messages":[{"role":"user","content":[{"type":"text","text":"what is this"},{"type":"image_url","image_url":{"url":"` + url + `"}}]}]}`
	res := e.do(t, "POST", chatPath, body)
	if out, _ := io.ReadAll(res.Body); res.StatusCode != 200 || !strings.Contains(string(out), "[1 image(s)]") {
		t.Fatalf("status %d %.300s", res.StatusCode, out)
	}
	if sent := e.sim.Requests()[0].Body; !bytes.Contains(sent, []byte(`"imageUrl":{"url":"`+url+`"`)) {
		t.Fatal("the 5 MB data URL did not reach OCI intact")
	}
}

// A tool result whose call is not in the history: GENERIC passes it on and OCI decides; Cohere's V1 format
// cannot express it, so the gateway names the field.
func TestToolResultWithoutCall(t *testing.T) {
	e := newEnv(t)
	msgs := `"messages":[{"role":"user","content":"x"},{"role":"tool","tool_call_id":"call_nope","content":"42"}]`
	res := e.do(t, "POST", chatPath, `{"model":"llama",`+msgs+`}`)
	if out, _ := io.ReadAll(res.Body); res.StatusCode != 200 || !strings.Contains(string(out), "The tool call_nope returned: 42") {
		t.Fatalf("GENERIC: %d %s", res.StatusCode, out)
	}
	if n := len(e.sim.Requests()); n != 1 {
		t.Fatalf("GENERIC: %d OCI requests", n)
	}
	res = e.do(t, "POST", chatPath, `{"model":"command-a",`+msgs+`}`)
	if er := decodeErr(t, res); res.StatusCode != 400 || er.Error.Param == nil || *er.Error.Param != "messages[1].tool_call_id" {
		t.Fatalf("COHERE: %d %+v", res.StatusCode, er.Error)
	}
	if n := len(e.sim.Requests()); n != 1 {
		t.Errorf("COHERE: the refused request reached OCI")
	}
}

// rawRequest writes req verbatim to the gateway and returns the raw response head and the parsed response.
func rawRequest(t *testing.T, e *env, req string) (string, *http.Response) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.gateway.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	// Written alongside the read: the gateway may answer (413) and stop reading before the body is all sent.
	go io.WriteString(conn, req)
	var head bytes.Buffer
	res, err := http.ReadResponse(bufio.NewReader(io.TeeReader(conn, &head)), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body = io.NopCloser(bytes.NewReader(body))
	h, _, _ := strings.Cut(head.String(), "\r\n\r\n")
	return h, res
}

func TestHeaderInjection(t *testing.T) {
	e := newEnv(t)
	noInjected := func(name string, res *http.Response, head string) {
		t.Helper()
		if res.Header.Get("Set-Cookie") != "" || strings.Contains(strings.ToLower(head), "set-cookie") || strings.Contains(head, "a=b") {
			t.Errorf("%s: injected header in the response:\n%s", name, head)
		}
	}
	// In the model name: a 404 that names it inside the JSON body only.
	body := `{"model":"x\r\nSet-Cookie: a=b","messages":[{"role":"user","content":"x"}]}`
	head, res := rawRequest(t, e, "POST "+chatPath+" HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer "+testKey+
		"\r\nContent-Type: application/json\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\nConnection: close\r\n\r\n"+body)
	if er := decodeErr(t, res); res.StatusCode != 404 || *er.Error.Param != "model" || !strings.Contains(er.Error.Message, `x\r\nSet-Cookie`) {
		t.Errorf("status %d %+v", res.StatusCode, er.Error)
	}
	noInjected("model", res, head)

	// In the path of /v1/models/{id} and of an unknown route.
	for _, path := range []string{"/v1/models/x%0d%0aSet-Cookie:%20a=b", "/v2/x%0d%0aSet-Cookie:%20a=b"} {
		head, res = rawRequest(t, e, "GET "+path+" HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer "+testKey+"\r\nConnection: close\r\n\r\n")
		if res.StatusCode != 404 {
			t.Errorf("%s: status %d", path, res.StatusCode)
		}
		decodeErr(t, res)
		noInjected(path, res, head)
	}

	// X-Request-Id smuggling a header: an obsolete line fold, a bare CR, a NUL. None is echoed.
	for name, id := range map[string]string{
		"line fold": "trace-1\r\n Set-Cookie: a=b",
		"bare CR":   "trace-1\rSet-Cookie: a=b",
		"NUL":       "trace-1\x00Set-Cookie: a=b",
	} {
		head, res = rawRequest(t, e, "GET /v1/models HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer "+testKey+"\r\nX-Request-Id: "+id+"\r\nConnection: close\r\n\r\n")
		noInjected(name, res, head)
		if got := res.Header.Get("X-Request-Id"); strings.Contains(got, "trace-1") {
			t.Errorf("%s: request id echoed: %q", name, got)
		}
		if res.StatusCode != 200 && res.StatusCode != 400 {
			t.Errorf("%s: status %d", name, res.StatusCode)
		}
	}
}

func TestNULBytes(t *testing.T) {
	e := newEnv(t)
	// Escaped NULs are text like any other: passed on, and answered as valid JSON.
	res := e.do(t, "POST", chatPath, `{"model":"llama","messages":[{"role":"user","content":"a\u0000b"}]}`)
	out, _ := io.ReadAll(res.Body)
	var comp struct {
		Choices []struct{ Message struct{ Content string } }
	}
	if res.StatusCode != 200 || json.Unmarshal(out, &comp) != nil || !strings.HasSuffix(comp.Choices[0].Message.Content, "You said: a\x00b") {
		t.Fatalf("status %d %s", res.StatusCode, out)
	}
	// A raw NUL inside a JSON string is not JSON.
	res = e.do(t, "POST", chatPath, "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"a\x00b\"}]}")
	if er := decodeErr(t, res); res.StatusCode != 400 || code(er) != "invalid_json" {
		t.Errorf("raw NUL: %d %+v", res.StatusCode, er.Error)
	}
	// A NUL in the model name or the body's first byte.
	res = e.do(t, "POST", chatPath, `{"model":"llama\u0000","messages":[{"role":"user","content":"x"}]}`)
	if er := decodeErr(t, res); res.StatusCode != 404 || code(er) != "model_not_found" {
		t.Errorf("NUL in model: %d %+v", res.StatusCode, er.Error)
	}
	res = e.do(t, "POST", chatPath, "\x00"+plainBody)
	if er := decodeErr(t, res); res.StatusCode != 400 || code(er) != "invalid_json" {
		t.Errorf("leading NUL: %d %+v", res.StatusCode, er.Error)
	}
	if n := len(e.sim.Requests()); n != 1 {
		t.Errorf("%d requests reached OCI, want 1", n)
	}
}

// No key, a wrong key, or something that merely resembles the key: 401, and OCI never sees the request.
func TestUnauthenticatedNeverReachOCI(t *testing.T) {
	e := newEnv(t)
	e.sim.Inject(ocisim.Fault{Status: 500, Count: 100}) // would surface as 502 if anything got through
	bad := []string{"", "Bearer", "Bearer ", "Bearer " + testKey + "x", "Bearer " + testKey[:len(testKey)-1], "Bearer " + strings.ToUpper(testKey),
		"Basic " + base64.StdEncoding.EncodeToString([]byte("user:"+testKey)), "Token " + testKey, testKey, "Bearer " + testKey + " " + testKey}
	paths := []struct{ method, path, body string }{
		{"POST", chatPath, plainBody},
		{"POST", chatPath, streamBody},
		{"POST", "/v1/embeddings", `{"model":"embed","input":"x"}`},
		{"GET", "/test-oci", ""},
		{"GET", "/v1/models", ""},
		{"POST", "/openai" + chatPath, plainBody},
	}
	for _, auth := range bad {
		for _, p := range paths {
			if auth == "" && p.path == "/test-oci" {
				continue // the check serves callers without a key (TestCheckOCIWithoutKey); a wrong key is refused
			}
			res := e.do(t, p.method, p.path, p.body, "Authorization", auth)
			if er := decodeErr(t, res); res.StatusCode != 401 || code(er) != "invalid_api_key" {
				t.Errorf("%s %s with %q: %d %+v", p.method, p.path, auth, res.StatusCode, er.Error)
			}
		}
	}
	for _, key := range []string{"sk-test", "sk-test-key-and-more", "SK-TEST-KEY"} {
		if res := e.do(t, "POST", chatPath, plainBody, "Authorization", "", "x-api-key", key); res.StatusCode != 401 {
			t.Errorf("x-api-key %q: %d", key, res.StatusCode)
		}
	}
	if n := len(e.sim.Requests()); n != 0 {
		t.Fatalf("%d unauthenticated requests reached OCI", n)
	}
}
