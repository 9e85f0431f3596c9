package gateway_test

import (
	"bytes"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/config"
	"github.com/ociai/ociai-proxy/gateway"
	"github.com/ociai/ociai-proxy/ocisim"
)

// The golden test pins the gateway's public behaviour byte for byte: a fixed set of requests (every OCI format,
// stream and not, tools, images, reasoning, embeddings, errors) goes through the whole gateway to the simulator
// over loopback, and each answer the client sees (status, headers, body) and each request OCI received must equal
// the file recorded in testdata/golden. Refactoring must leave them unchanged; a deliberate change of behaviour
// re-records them with
//
//	go test ./gateway -run TestGolden -update
//
// and the diff of testdata/golden shows what changed. Only values that differ from run to run are normalised
// (see normalise).

var update = flag.Bool("update", false, "re-record testdata/golden")

// goldenModels are the configured models: each OCI format and streaming pattern the simulator knows.
const goldenModels = "llama=meta.llama-3.3-70b-instruct,grok=xai.grok-4,grok-mini=xai.grok-3-mini," +
	"gpt-oss=openai.gpt-oss-120b,gpt-5=openai.gpt-5,gemini=google.gemini-2.5-flash," +
	"ded=ocid1.generativeaiendpoint.oc1.us-chicago-1.goldenendpoint,bogus=acme.model-1 GENERIC," +
	"command-r=cohere.command-r-08-2024,command-a=cohere.command-a-03-2025," +
	"command-a-vision=cohere.command-a-vision-07-2025,command-a-reasoning=cohere.command-a-reasoning-08-2025 COHEREV2," +
	"embed=cohere.embed-v4.0,embed-light=cohere.embed-english-light-v3.0"

type goldenCase struct {
	name   string
	forced bool // the gateway with force_non_stream (synthesized streams) and a 64 KiB body limit
	fault  *ocisim.Fault
	method string // default POST
	path   string // default /v1/chat/completions
	body   string
	auth   string // Authorization header; default the test key, "-" for none
}

const (
	weatherTool = `{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"]}}}`
	timeTool    = `{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"zone":{"type":"string"}}}}}`
	weatherAsk  = `{"role":"user","content":"Use get_weather for Paris please"}`
	toolTurn    = `{"role":"user","content":"Use get_weather for Paris"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"unit\":\"celsius\"}"}}]},{"role":"tool","tool_call_id":"call_abc","content":"{\"temp\":21}"}`
	imageUser   = `{"role":"user","content":[{"type":"text","text":"What is in this picture?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]}`
	usage       = `"stream":true,"stream_options":{"include_usage":true}`
)

// responsesTools: a function, a custom tool, a namespace and a hosted tool (left out) in Responses API shapes.
const responsesTools = `{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},` +
	`{"type":"custom","name":"apply_patch","description":"Edit files.","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}},` +
	`{"type":"namespace","name":"agents","description":"Sub-agents.","tools":[{"type":"function","name":"spawn","parameters":{"type":"object","properties":{"task":{"type":"string"}}}}]},` +
	`{"type":"web_search"}`

// responsesTurn: a conversation with a reasoning item, function and custom tool calls and their outputs.
const responsesTurn = `{"role":"developer","content":"Be brief."},{"role":"user","content":"Use get_weather for Paris"},` +
	`{"type":"reasoning","summary":[{"type":"summary_text","text":"Weather first."}]},` +
	`{"type":"function_call","call_id":"call_w","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},` +
	`{"type":"function_call_output","call_id":"call_w","output":"{\"temp\":21}"},` +
	`{"type":"custom_tool_call","call_id":"call_p","name":"apply_patch","input":"*** Begin Patch"},` +
	`{"type":"custom_tool_call_output","call_id":"call_p","output":"Done"}`

func chatBody(model string, extra string, messages ...string) string {
	if len(messages) == 0 {
		messages = []string{`{"role":"user","content":"Hi there"}`}
	}
	b := `{"model":"` + model + `","messages":[` + strings.Join(messages, ",") + `]`
	if extra != "" {
		b += "," + extra
	}
	return b + "}"
}

var goldenCases = []goldenCase{
	// GENERIC
	{name: "generic_plain", body: chatBody("llama", "", `{"role":"system","content":"Be brief."}`, `{"role":"user","content":"Hi there"}`)},
	{name: "generic_stream_usage", body: chatBody("llama", usage)},
	{name: "generic_stream", body: chatBody("gemini", `"stream":true`)},
	{name: "generic_stream_xai", body: chatBody("grok", usage)},
	{name: "generic_tools", body: chatBody("llama", `"tools":[`+weatherTool+`,`+timeTool+`]`, weatherAsk)},
	{name: "generic_tools_stream_llama", body: chatBody("llama", usage+`,"tools":[`+weatherTool+`]`, weatherAsk)},
	{name: "generic_tools_stream_xai", body: chatBody("grok", usage+`,"tools":[`+weatherTool+`]`, weatherAsk)},
	{name: "generic_tools_stream_gemini", body: chatBody("gemini", usage+`,"tools":[`+weatherTool+`]`, weatherAsk)},
	{name: "generic_tools_gemini", body: chatBody("gemini", `"tools":[`+weatherTool+`]`, weatherAsk)},
	{name: "generic_tool_choice_function", body: chatBody("llama", `"tools":[`+weatherTool+`,`+timeTool+`],"tool_choice":{"type":"function","function":{"name":"get_time"}}`)},
	{name: "generic_tool_result", body: chatBody("llama", `"tools":[`+weatherTool+`]`, toolTurn)},
	{name: "generic_image", body: chatBody("llama", "", imageUser)},
	{name: "generic_reasoning", body: chatBody("gpt-oss", "")},
	{name: "generic_reasoning_stream", body: chatBody("grok-mini", usage)},
	{name: "generic_reasoning_effort", body: chatBody("llama", `"reasoning_effort":"low"`)},
	{name: "generic_max_completion_tokens", body: chatBody("gpt-5", `"max_tokens":3`)},
	{name: "generic_n2", body: chatBody("llama", `"n":2`)},
	{name: "generic_n2_stream", body: chatBody("llama", usage+`,"n":2`)},
	{name: "generic_json_schema", body: chatBody("llama", `"response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},"strict":true}}`)},
	{name: "generic_stop", body: chatBody("llama", `"stop":["there"],"temperature":0.2,"top_p":0.9,"seed":7`)},
	{name: "generic_logprobs", body: chatBody("llama", `"logprobs":true,"top_logprobs":2`)},
	{name: "generic_dedicated", body: chatBody("ded", `"max_completion_tokens":50`)},
	{name: "generic_dropped_params", body: chatBody("llama", `"user":"u1","store":true,"service_tier":"flex","metadata":{"a":"b"}`)},

	// COHERE
	{name: "cohere_plain", body: chatBody("command-r", "", `{"role":"system","content":"Be brief."}`, `{"role":"user","content":"Hi there"}`)},
	{name: "cohere_stream_usage", body: chatBody("command-r", usage)},
	{name: "cohere_stream", body: chatBody("command-a", `"stream":true`)},
	{name: "cohere_tools", body: chatBody("command-r", `"tools":[`+weatherTool+`,`+timeTool+`]`, weatherAsk)},
	{name: "cohere_tools_stream", body: chatBody("command-r", usage+`,"tools":[`+weatherTool+`]`, weatherAsk)},
	{name: "cohere_tool_result", body: chatBody("command-r", `"tools":[`+weatherTool+`]`, toolTurn)},
	{name: "cohere_json_object", body: chatBody("command-r", `"response_format":{"type":"json_object"},"max_tokens":3`)},
	{name: "cohere_image_goes_v2", body: chatBody("command-a", "", imageUser)},
	{name: "cohere_forced_tool", body: chatBody("command-r", `"tools":[`+weatherTool+`],"tool_choice":"required"`)},

	// COHEREV2
	{name: "coherev2_image", body: chatBody("command-a-vision", "", imageUser)},
	{name: "coherev2_stream_usage", body: chatBody("command-a-vision", usage, imageUser)},
	{name: "coherev2_stream", body: chatBody("command-a-vision", `"stream":true`)},
	{name: "coherev2_tools", body: chatBody("command-a-vision", `"tools":[`+weatherTool+`]`, weatherAsk)},
	{name: "coherev2_tools_stream", body: chatBody("command-a-vision", usage+`,"tools":[`+weatherTool+`]`, weatherAsk)},
	{name: "coherev2_tool_result", body: chatBody("command-a-vision", `"tools":[`+weatherTool+`]`, toolTurn)},
	{name: "coherev2_reasoning", body: chatBody("command-a-reasoning", `"reasoning_effort":"high"`)},
	{name: "coherev2_reasoning_stream", body: chatBody("command-a-reasoning", usage)},

	// Synthesized streams (force_non_stream)
	{name: "forced_generic_stream", forced: true, body: chatBody("llama", usage)},
	{name: "forced_generic_tools_stream", forced: true, body: chatBody("gpt-oss", `"stream":true,"tools":[`+weatherTool+`]`, weatherAsk)},
	{name: "forced_cohere_stream", forced: true, body: chatBody("command-r", usage+`,"tools":[`+weatherTool+`]`, weatherAsk)},
	{name: "forced_coherev2_stream", forced: true, body: chatBody("command-a-reasoning", usage)},
	{name: "forced_body_too_large", forced: true, body: chatBody("llama", "", `{"role":"user","content":"`+strings.Repeat("x", 70000)+`"}`)},

	// Responses API
	{name: "responses_plain", path: "/v1/responses", body: `{"model":"llama","instructions":"Be brief.","input":"Hi there","store":false,"metadata":{"a":"b"}}`},
	{name: "responses_stream_reasoning", path: "/v1/responses", body: `{"model":"grok-mini","input":"Hi there","stream":true,"reasoning":{"summary":"auto"}}`},
	{name: "responses_tools_stream_llama", path: "/v1/responses", body: `{"model":"llama","stream":true,"input":"Use get_weather for Paris","tools":[` + responsesTools + `]}`},
	{name: "responses_custom_tool_stream_xai", path: "/v1/responses", body: `{"model":"grok","stream":true,"input":"Use apply_patch for ` + "`*** Begin Patch\\n*** End Patch`" + `","tools":[` + responsesTools + `]}`},
	{name: "responses_tool_results", path: "/v1/responses", body: `{"model":"llama","tools":[` + responsesTools + `],"input":[` + responsesTurn + `]}`},
	{name: "responses_cohere_tools", path: "/v1/responses", body: `{"model":"command-r","input":"Use get_weather for Paris","tools":[` + responsesTools + `]}`},
	{name: "responses_cohere_tool_results", path: "/v1/responses", body: `{"model":"command-r","tools":[` + responsesTools + `],"input":[` + responsesTurn + `]}`},
	{name: "responses_coherev2_stream", path: "/v1/responses", body: `{"model":"command-a-vision","input":"Hi there","stream":true}`},
	{name: "responses_forced_stream_tools", forced: true, path: "/v1/responses", body: `{"model":"gpt-oss","stream":true,"input":"Use get_weather for Paris","tools":[` + responsesTools + `]}`},
	{name: "responses_length", path: "/v1/responses", body: `{"model":"llama","input":"Hi there","max_output_tokens":2}`},
	{name: "responses_compact", path: "/v1/responses/compact", body: `{"model":"llama","input":[` + responsesTurn + `]}`},
	{name: "responses_err_previous_response_id", path: "/v1/responses", body: `{"model":"llama","input":"x","previous_response_id":"resp_1"}`},
	{name: "responses_err_unanswered_call", path: "/v1/responses", body: `{"model":"llama","input":[{"role":"user","content":"x"},{"type":"function_call","call_id":"c1","name":"get_weather","arguments":"{}"}]}`},
	{name: "responses_get", method: "GET", path: "/v1/responses/resp_123"},
	{name: "responses_oci_stream_malformed", fault: &ocisim.Fault{MalformedAt: 3}, path: "/v1/responses", body: `{"model":"llama","input":"Hi there","stream":true}`},

	// Embeddings
	{name: "embed_float", path: "/v1/embeddings", body: `{"model":"embed-light","input":["the quick brown fox","jumps"]}`},
	{name: "embed_base64", path: "/v1/embeddings", body: `{"model":"embed","input":"hello","dimensions":256,"encoding_format":"base64","input_type":"search_query"}`},
	{name: "embed_empty_input", path: "/v1/embeddings", body: `{"model":"embed","input":[]}`},
	{name: "embed_token_array", path: "/v1/embeddings", body: `{"model":"embed","input":[[1,2,3]]}`},
	{name: "embed_chat_model", path: "/v1/embeddings", body: `{"model":"llama","input":"x"}`},
	{name: "embed_oci_500", path: "/v1/embeddings", fault: &ocisim.Fault{Status: 500}, body: `{"model":"embed","input":"x"}`},

	// Client errors
	{name: "err_invalid_json", body: `{"model":"llama","messages":[`},
	{name: "err_empty_body", body: ``},
	{name: "err_wrong_type", body: `{"model":"llama","messages":"hello"}`},
	{name: "err_wrong_content_type", body: `{"model":"llama","messages":[{"role":"user","content":42}]}`},
	{name: "err_unknown_model", body: chatBody("nope", "")},
	{name: "err_missing_model", body: `{"messages":[{"role":"user","content":"x"}]}`},
	{name: "err_no_auth", auth: "-", body: chatBody("llama", "")},
	{name: "err_bad_key", auth: "Bearer sk-wrong", body: chatBody("llama", "")},
	{name: "err_unknown_url", path: "/v1/completions", body: `{}`},
	{name: "err_method", method: "GET", body: ""},
	{name: "err_no_messages", body: `{"model":"llama","messages":[]}`},
	{name: "err_bad_role", body: chatBody("llama", "", `{"role":"robot","content":"x"}`)},
	{name: "err_temperature", body: chatBody("llama", `"temperature":3`)},
	{name: "err_tool_choice_without_tools", body: chatBody("llama", `"tool_choice":"required"`)},
	{name: "err_tool_call_without_id", body: chatBody("llama", "", `{"role":"user","content":"x"}`, `{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}`, `{"role":"user","content":"y"}`)},
	{name: "err_response_format", body: chatBody("command-a-vision", `"response_format":{"type":"yaml"}`)},
	{name: "err_cohere_ends_with_assistant", body: chatBody("command-r", "", `{"role":"user","content":"x"}`, `{"role":"assistant","content":"y"}`)},

	// OCI errors
	{name: "oci_429", fault: &ocisim.Fault{Status: 429, RetryAfter: "7"}, body: chatBody("llama", "")},
	{name: "oci_500", fault: &ocisim.Fault{Status: 500}, body: chatBody("command-r", "")},
	{name: "oci_401", fault: &ocisim.Fault{Status: 401}, body: chatBody("llama", "")},
	{name: "oci_404_model", body: chatBody("bogus", "")},
	{name: "oci_stream_500", fault: &ocisim.Fault{Status: 500}, body: chatBody("llama", usage)},
	{name: "oci_stream_malformed", fault: &ocisim.Fault{MalformedAt: 3}, body: chatBody("llama", usage)},
	{name: "oci_cohere_stream_malformed", fault: &ocisim.Fault{MalformedAt: 2}, body: chatBody("command-r", usage)},
	{name: "oci_malformed_answer", fault: &ocisim.Fault{MalformedAt: 1}, body: chatBody("llama", "")},

	// Other routes
	{name: "models_list", method: "GET", path: "/v1/models"},
	{name: "model_get", method: "GET", path: "/v1/models/command-a"},
	{name: "model_get_unknown", method: "GET", path: "/v1/models/nope"},
	{name: "health", method: "GET", path: "/health", auth: "-"},
	{name: "test_oci", method: "GET", path: "/test-oci"},
	{name: "test_oci_cohere", method: "GET", path: "/test-oci?model=command-r"},
	{name: "test_oci_failing", method: "GET", path: "/test-oci?model=bogus"},
}

// goldenHeaders are the response headers the golden files record (the rest is transport detail or variable).
var goldenHeaders = []string{"Content-Type", "Cache-Control", "X-Accel-Buffering", "Retry-After", "Allow", "WWW-Authenticate", "X-Ociai-Ignored"}

func TestGolden(t *testing.T) {
	id, err := ocisim.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	// gpt-5 is served only to some tenancies, Command A Reasoning on demand outside the default region only.
	sim := ocisim.New(ocisim.Options{ExtraModels: []string{"openai.gpt-5", "cohere.command-a-reasoning-08-2025"}})
	sim.AddIdentity(id)
	simSrv := httptest.NewServer(sim)
	t.Cleanup(simSrv.Close)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(keyFile, id.PrivateKeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"HOME": dir, "OCIAI_ENDPOINT": simSrv.URL, "OCIAI_REGION": "us-chicago-1", "OCIAI_USER": id.User,
		"OCIAI_TENANCY": id.Tenancy, "OCIAI_FINGERPRINT": id.Fingerprint, "OCIAI_KEY_FILE": keyFile,
		"OCIAI_MODELS": goldenModels, "OCIAI_API_KEY": "sk-golden", "OCIAI_COMPARTMENT_ID": "ocid1.compartment.oc1..golden",
		"OCIAI_MAX_RETRIES": "0", "OCIAI_LOG_LEVEL": "error",
	}
	plain := goldenGateway(t, env)
	env["OCIAI_FORCE_NON_STREAM"] = "true"
	env["OCIAI_MAX_BODY_BYTES"] = "65536"
	forced := goldenGateway(t, env)

	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			sim.Reset()
			if c.fault != nil {
				sim.Inject(*c.fault)
			}
			base := plain
			if c.forced {
				base = forced
			}
			got := normalise(record(t, base, c, sim), simSrv.URL)
			file := filepath.Join("testdata", "golden", c.name+".txt")
			if *update {
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (record with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from what the gateway now does:\n--- want\n%s\n--- got\n%s", file, want, got)
			}
		})
	}
}

func goldenGateway(t *testing.T, env map[string]string) string {
	t.Helper()
	res, err := config.Load(filepath.Join(env["HOME"], "absent.conf"), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.New(res.Config, gateway.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.Handler)
	t.Cleanup(srv.Close)
	return srv.URL
}

// record sends c and writes down the exchange: the request, the answer the client got, and what OCI received.
func record(t *testing.T, base string, c goldenCase, sim *ocisim.Simulator) []byte {
	t.Helper()
	method, path := c.method, c.path
	if method == "" {
		method = http.MethodPost
	}
	if path == "" {
		path = "/v1/chat/completions"
	}
	req, err := http.NewRequest(method, base+path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	switch c.auth {
	case "":
		req.Header.Set("Authorization", "Bearer sk-golden")
	case "-":
	default:
		req.Header.Set("Authorization", c.auth)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}

	var b bytes.Buffer
	b.WriteString(method + " " + path + "\n")
	if len(c.body) > 2000 {
		b.WriteString(c.body[:2000] + "… (" + strconv.Itoa(len(c.body)) + " bytes)\n")
	} else if c.body != "" {
		b.WriteString(c.body + "\n")
	}
	b.WriteString("\n=== response\nHTTP " + strconv.Itoa(res.StatusCode) + "\n")
	for _, h := range goldenHeaders {
		if v := res.Header.Get(h); v != "" {
			b.WriteString(h + ": " + v + "\n")
		}
	}
	b.WriteString("\n")
	b.Write(body)
	for _, r := range sim.Requests() {
		b.WriteString("\n=== OCI received " + r.Path + " (answered " + strconv.Itoa(r.Status) + ")\n")
		b.Write(r.Body)
		b.WriteString("\n")
	}
	return b.Bytes()
}

// Values that change from run to run, each with what replaces it. Ids keep their identity: the n-th distinct
// value becomes <name-n>, so the files still show which chunks share an id.
var variable = []struct {
	re   *regexp.Regexp
	name string
}{
	{regexp.MustCompile(`chatcmpl-[0-9a-f]{24}`), "chatcmpl"},                                     // the gateway's completion ids
	{regexp.MustCompile(`\bcall_[0-9a-f]{16}\b`), "synthetic-call-id"},                            // tool-call ids derived from a completion id
	{regexp.MustCompile(`\b[0-9A-F]{32}\b`), "opc-request-id"},                                    // the simulator's opc-request-ids
	{regexp.MustCompile(`"created":[0-9]+`), `"created"`},                                         // Unix time of the answer
	{regexp.MustCompile(`\b(?:resp|msg|rs|fc|ctc|cmp)_[0-9a-f]{24}`), "response-id"},              // Responses API response and item ids
	{regexp.MustCompile(`"created_at":[0-9]+`), `"created_at"`},                                   // Unix time of a response
	{regexp.MustCompile(`ociai1\.[A-Za-z0-9_-]+`), "sealed"},                                      // a compaction item's sealed summary
	{regexp.MustCompile(`"latency_ms":[0-9.e+-]+`), `"latency_ms"`},                               // /test-oci timing
	{regexp.MustCompile(`"timeCreated":"[^"]*"`), `"timeCreated"`},                                // (not client-visible; kept for safety)
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}`), "uuid"}, // COHEREV2 ids
}

func normalise(b []byte, simURL string) []byte {
	b = bytes.ReplaceAll(b, []byte(simURL), []byte("<simulator>"))
	for _, v := range variable {
		seen := map[string]string{}
		b = v.re.ReplaceAllFunc(b, func(m []byte) []byte {
			r, ok := seen[string(m)]
			if !ok {
				r = "<" + strings.Trim(v.name, `"`) + "-" + strconv.Itoa(len(seen)+1) + ">"
				if strings.HasPrefix(v.name, `"`) {
					r = v.name + ":" + `"<` + strings.Trim(v.name, `"`) + `>"`
				}
				seen[string(m)] = r
			}
			return []byte(r)
		})
	}
	return b
}
