package generic_test

import (
	"encoding/json"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/internal/jsontest"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/generic"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

var llama = core.Target{ModelID: "meta.llama-3.3-70b-instruct", CompartmentID: "ocid1.compartment.oc1..c", DefaultMaxTokens: 1024}

func TestRequestEnvelope(t *testing.T) {
	req := ocitest.Request(t, `{"model":"llama","messages":[{"role":"user","content":"Hi"}]}`)
	tests := []struct {
		name   string
		target core.Target
		want   string
	}{
		{"on demand", llama, `{"compartmentId":"ocid1.compartment.oc1..c",
			"servingMode":{"servingType":"ON_DEMAND","modelId":"meta.llama-3.3-70b-instruct"},
			"chatRequest":{"apiFormat":"GENERIC","messages":[{"role":"USER","content":[{"type":"TEXT","text":"Hi"}]}],"maxTokens":1024}}`},
		{"dedicated", core.Target{ModelID: "ocid1.generativeaiendpoint.oc1..e", Dedicated: true, CompartmentID: "ocid1.compartment.oc1..c"},
			`{"compartmentId":"ocid1.compartment.oc1..c",
			"servingMode":{"servingType":"DEDICATED","endpointId":"ocid1.generativeaiendpoint.oc1..e"},
			"chatRequest":{"apiFormat":"GENERIC","messages":[{"role":"USER","content":[{"type":"TEXT","text":"Hi"}]}]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, dropped, err := generic.Request(req, tt.target)
			if err != nil {
				t.Fatal(err)
			}
			if dropped != nil {
				t.Errorf("dropped = %v, want none", dropped)
			}
			jsontest.Assert(t, d, tt.want)
		})
	}
}

// TestRequest compares the chatRequest produced for each hub request.
func TestRequest(t *testing.T) {
	ocitest.RunRequests(t, generic.Request, llama, []ocitest.RequestCase{
		{
			Name: "string content",
			In:   `{"model":"m","messages":[{"role":"user","content":"Hello"}]}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"Hello"}]}]}`,
		},
		{
			Name: "empty user string keeps an empty TEXT part",
			In:   `{"model":"m","messages":[{"role":"user","content":""}]}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":""}]}]}`,
		},
		{
			Name: "every role",
			In: `{"model":"m","messages":[
				{"role":"system","content":"sys","name":"boss"},
				{"role":"developer","content":[{"type":"text","text":"dev"}]},
				{"role":"user","content":"What's the weather?","name":"ann"},
				{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
				{"role":"tool","tool_call_id":"call_1","content":"sunny"},
				{"role":"assistant","content":"It is sunny.","reasoning_content":"looked it up","name":"bot"}]}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[
				{"role":"SYSTEM","name":"boss","content":[{"type":"TEXT","text":"sys"}]},
				{"role":"DEVELOPER","content":[{"type":"TEXT","text":"dev"}]},
				{"role":"USER","name":"ann","content":[{"type":"TEXT","text":"What's the weather?"}]},
				{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"}]},
				{"role":"TOOL","toolCallId":"call_1","content":[{"type":"TEXT","text":"sunny"}]},
				{"role":"ASSISTANT","name":"bot","content":[{"type":"TEXT","text":"It is sunny."}],"reasoningContent":"looked it up"}]}`,
		},
		{
			Name: "assistant empty content, parallel calls, empty arguments",
			In: `{"model":"m","messages":[{"role":"user","content":"go"},
				{"role":"assistant","content":"","tool_calls":[
					{"id":"a","type":"function","function":{"name":"f","arguments":""}},
					{"id":"b","function":{"name":"g","arguments":"{\"x\":1}"}}]},
				{"role":"tool","tool_call_id":"a","content":[{"type":"text","text":"r1"}]},
				{"role":"tool","tool_call_id":"b","content":"r2"}]}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[
				{"role":"USER","content":[{"type":"TEXT","text":"go"}]},
				{"role":"ASSISTANT","toolCalls":[{"type":"FUNCTION","id":"a","name":"f","arguments":"{}"},{"type":"FUNCTION","id":"b","name":"g","arguments":"{\"x\":1}"}]},
				{"role":"TOOL","toolCallId":"a","content":[{"type":"TEXT","text":"r1"}]},
				{"role":"TOOL","toolCallId":"b","content":[{"type":"TEXT","text":"r2"}]}]}`,
		},
		{
			Name: "assistant refusal field and refusal part",
			In: `{"model":"m","messages":[{"role":"user","content":"x"},{"role":"assistant","content":null,"refusal":"no"},
				{"role":"user","content":"y"},{"role":"assistant","content":[{"type":"refusal","refusal":"nope"}]}]}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[
				{"role":"USER","content":[{"type":"TEXT","text":"x"}]},{"role":"ASSISTANT","refusal":"no","content":[{"type":"TEXT","text":""}]},
				{"role":"USER","content":[{"type":"TEXT","text":"y"}]},{"role":"ASSISTANT","refusal":"nope","content":[{"type":"TEXT","text":""}]}]}`,
		},
		{
			Name: "assistant without content or tool calls gets an empty TEXT part",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"},{"role":"assistant","content":null},{"role":"user","content":[]}]}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]},
				{"role":"ASSISTANT","content":[{"type":"TEXT","text":""}]},{"role":"USER","content":[{"type":"TEXT","text":""}]}]}`,
		},
		{
			Name: "image parts",
			In: `{"model":"m","messages":[{"role":"user","content":[
				{"type":"text","text":"What is this?"},
				{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR","detail":"high"}},
				{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
				{"type":"image_url","image_url":{"url":"https://example.com/dog.jpg","detail":"Low"}}]}]}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[
				{"type":"TEXT","text":"What is this?"},
				{"type":"IMAGE","imageUrl":{"url":"data:image/png;base64,iVBOR","detail":"HIGH"}},
				{"type":"IMAGE","imageUrl":{"url":"https://example.com/cat.jpg"}},
				{"type":"IMAGE","imageUrl":{"url":"https://example.com/dog.jpg","detail":"LOW"}}]}]}`,
		},
		{
			Name: "audio, file and video parts",
			In: `{"model":"m","messages":[{"role":"user","content":[
				{"type":"input_audio","input_audio":{"data":"UklGR","format":"wav"}},
				{"type":"input_audio","input_audio":{"data":"SUQz","format":"mp3"}},
				{"type":"file","file":{"file_data":"JVBERi0","filename":"a.pdf"}},
				{"type":"file","file":{"file_data":"data:text/plain;base64,aGk="}},
				{"type":"video_url","video_url":{"url":"data:video/mp4;base64,AAAA"}}]}]}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[
				{"type":"AUDIO","audioUrl":{"url":"data:audio/wav;base64,UklGR"}},
				{"type":"AUDIO","audioUrl":{"url":"data:audio/mpeg;base64,SUQz"}},
				{"type":"DOCUMENT","documentUrl":{"url":"data:application/pdf;base64,JVBERi0"}},
				{"type":"DOCUMENT","documentUrl":{"url":"data:text/plain;base64,aGk="}},
				{"type":"VIDEO","videoUrl":{"url":"data:video/mp4;base64,AAAA"}}]}]}`,
		},
		{
			Name: "escaped and unicode strings survive the fast path",
			In:   `{"model":"m","messages":[{"role":"user","content":"line1\nline2 \"q\" \u00e9 é 😀"}]}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"line1\nline2 \"q\" é é 😀"}]}]}`,
		},
		{
			Name: "tools with and without parameters, auto, parallel",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],
				"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","strict":true,
					"parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
					{"type":"function","function":{"name":"now"}}],
				"tool_choice":"auto","parallel_tool_calls":false}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"tools":[{"type":"FUNCTION","name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
					{"type":"FUNCTION","name":"now","parameters":{"type":"object","properties":{}}}],
				"toolChoice":{"type":"AUTO"},"isParallelToolCalls":false}`,
		},
		{
			Name: "tool_choice none",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":{}}}],"tool_choice":"none"}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"tools":[{"type":"FUNCTION","name":"f","parameters":{}}],"toolChoice":{"type":"NONE"}}`,
		},
		{
			Name: "tool_choice required",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"required"}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"tools":[{"type":"FUNCTION","name":"f","parameters":{"type":"object","properties":{}}}],"toolChoice":{"type":"REQUIRED"}}`,
		},
		{
			Name: "tool_choice function object",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"f"}}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"tools":[{"type":"FUNCTION","name":"f","parameters":{"type":"object","properties":{}}}],"toolChoice":{"type":"FUNCTION","name":"f"}}`,
		},
		{
			Name: "tool_choice allowed_tools restricts the tool list",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],
				"tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}},{"type":"function","function":{"name":"c"}}],
				"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"c"}},{"type":"function","function":{"name":"a"}}]}}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"tools":[{"type":"FUNCTION","name":"a","parameters":{"type":"object","properties":{}}},{"type":"FUNCTION","name":"c","parameters":{"type":"object","properties":{}}}],
				"toolChoice":{"type":"REQUIRED"}}`,
		},
		{
			Name: "tool_choice auto without tools is a no-op",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"auto","parallel_tool_calls":true}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}]}`,
		},
		{
			Name: "sampling parameters (zero values are sent)",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":0,"top_p":0.9,"frequency_penalty":-0.5,
				"presence_penalty":1.5,"seed":42,"n":2,"stop":"END","top_k":40,"max_tokens":50}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":50,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"temperature":0,"topP":0.9,"frequencyPenalty":-0.5,"presencePenalty":1.5,"seed":42,"numGenerations":2,"stop":["END"],"topK":40}`,
		},
		{
			Name: "stop list, n=1 not sent",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"stop":["a","b"],"n":1}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],"stop":["a","b"]}`,
		},
		{
			Name: "stop null and empty list are not sent",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"stop":null,"tool_choice":null,"response_format":null}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}]}`,
		},
		{
			Name: "response_format text",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"text"}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],"responseFormat":{"type":"TEXT"}}`,
		},
		{
			Name: "response_format json_object",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],"responseFormat":{"type":"JSON_OBJECT"}}`,
		},
		{
			Name: "response_format json_schema: strict becomes isStrict",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":
				{"name":"person","description":"A person","strict":true,"schema":{"type":"object","properties":{"n":{"type":"string"}}}}}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"responseFormat":{"type":"JSON_SCHEMA","jsonSchema":{"name":"person","description":"A person","isStrict":true,"schema":{"type":"object","properties":{"n":{"type":"string"}}}}}}`,
		},
		{
			Name: "response_format json_schema without strict or schema",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"s"}}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"responseFormat":{"type":"JSON_SCHEMA","jsonSchema":{"name":"s"}}}`,
		},
		{
			Name: "reasoning_effort, verbosity, service_tier upper-cased",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"high","verbosity":"Low","service_tier":"priority"}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"reasoningEffort":"HIGH","verbosity":"LOW","serviceTier":"PRIORITY"}`,
		},
		{
			Name: "reasoning_effort minimal and none",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"minimal"}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],"reasoningEffort":"MINIMAL"}`,
		},
		{
			Name: "stream with usage",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"stream":true,"stream_options":{"include_usage":true}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],"isStream":true,"streamOptions":{"isIncludeUsage":true}}`,
		},
		{
			Name: "stream without usage",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"stream":true,"stream_options":{"include_usage":false}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],"isStream":true}`,
		},
		{
			Name: "stream_options ignored when not streaming",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"stream":false,"stream_options":{"include_usage":true}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}]}`,
		},
		{
			Name: "logprobs with top_logprobs, logit_bias, metadata",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":true,"top_logprobs":3,
				"logit_bias":{"50256":-100},"metadata":{"k":"v"}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"logProbs":3,"logitBias":{"50256":-100},"metadata":{"k":"v"}}`,
		},
		{
			Name: "logprobs alone, empty logit_bias and metadata not sent",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":true,"logit_bias":{},"metadata":null}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],"logProbs":0}`,
		},
		{
			Name: "logprobs false",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":false}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}]}`,
		},
		{
			Name: "prediction string and web_search_options",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"prediction":{"type":"content","content":"old code"},
				"web_search_options":{"search_context_size":"medium","user_location":{"type":"approximate","approximate":{"city":"Paris","country":"FR","timezone":"Europe/Paris"}}}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"prediction":{"type":"CONTENT","content":[{"type":"TEXT","text":"old code"}]},
				"webSearchOptions":{"searchContextSize":"MEDIUM","userLocation":{"city":"Paris","country":"FR","timezone":"Europe/Paris"}}}`,
		},
		{
			Name: "prediction parts, empty web_search_options",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"prediction":{"type":"content","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
				"web_search_options":{}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"prediction":{"type":"CONTENT","content":[{"type":"TEXT","text":"a"},{"type":"TEXT","text":"b"}]},"webSearchOptions":{}}`,
		},
		{
			Name: "dropped parameters are reported, unknown fields ignored",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"user":"u1","store":true,"modalities":["text","audio"],
				"audio":{"voice":"alloy","format":"wav"},"functions":[{"name":"f"}],"function_call":"auto","safety_identifier":"s",
				"prompt_cache_key":"k","prompt_cache_retention":"24h","prompt_cache_options":{"mode":"implicit"},"moderation":{"model":"x"},
				"service_tier":"flex","some_future_field":{"a":[1,2]},"stream_options":{"include_obfuscation":false}}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}]}`,
			Dropped: []string{"service_tier", "user", "store", "modalities", "audio", "functions", "function_call",
				"safety_identifier", "prompt_cache_key", "prompt_cache_retention", "prompt_cache_options", "moderation"},
		},
		{
			Name: "no-op values of dropped parameters are not reported",
			In:   `{"model":"m","messages":[{"role":"user","content":"x"}],"store":false,"modalities":["text"],"audio":null,"functions":null}`,
			Want: `{"apiFormat":"GENERIC","maxTokens":1024,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}]}`,
		},
	})
}

func TestRequestMaxTokens(t *testing.T) {
	i := func(v int) *int { return &v }
	tests := []struct {
		model     string
		dedicated bool
		mt, mct   *int
		def       int
		want      string // "maxTokens=N", "maxCompletionTokens=N" or "" (none)
	}{
		{"meta.llama-3.3-70b-instruct", false, i(100), nil, 1024, "maxTokens=100"},
		{"meta.llama-3.3-70b-instruct", false, nil, i(200), 1024, "maxTokens=200"},
		{"meta.llama-3.3-70b-instruct", false, i(100), i(200), 1024, "maxTokens=200"},
		{"meta.llama-3.3-70b-instruct", false, nil, nil, 1024, "maxTokens=1024"},
		{"meta.llama-3.3-70b-instruct", false, nil, nil, 0, ""},
		{"xai.grok-4", false, i(10), nil, 1024, "maxTokens=10"},
		{"google.gemini-2.5-pro", false, nil, i(10), 1024, "maxTokens=10"},
		{"openai.gpt-5", false, i(100), nil, 1024, "maxCompletionTokens=100"},
		{"openai.gpt-5-mini", false, nil, nil, 512, "maxCompletionTokens=512"},
		{"openai.o1", false, nil, i(7), 1024, "maxCompletionTokens=7"},
		{"openai.o3-mini", false, i(8), nil, 1024, "maxCompletionTokens=8"},
		{"openai.o4-mini", false, nil, nil, 99, "maxCompletionTokens=99"},
		{"openai.gpt-4.1", false, i(5), nil, 1024, "maxCompletionTokens=5"},
		{"OpenAI.GPT-5", false, i(5), nil, 1024, "maxCompletionTokens=5"},
		{"openai.gpt-oss-120b", false, nil, i(50), 1024, "maxTokens=50"},
		{"openai.gpt-oss-20b", false, nil, nil, 1024, "maxTokens=1024"},
		{"ocid1.generativeaiendpoint.oc1..e", true, i(100), nil, 1024, "maxTokens=100"},
		{"ocid1.generativeaiendpoint.oc1..e", true, nil, nil, 1024, "maxTokens=1024"},
		{"ocid1.generativeaiendpoint.oc1..e", true, nil, i(100), 1024, "maxCompletionTokens=100"},
		{"ocid1.generativeaimodel.oc1..m", false, nil, i(100), 1024, "maxCompletionTokens=100"},
		{"ocid1.generativeaimodel.oc1..m", false, i(100), nil, 1024, "maxTokens=100"},
	}
	for _, tt := range tests {
		req := &hub.ChatRequest{Messages: []hub.Message{{Role: "user", Content: hub.Content{Text: "x"}}}, MaxTokens: tt.mt, MaxCompletionTokens: tt.mct}
		d, _, err := generic.Request(req, core.Target{ModelID: tt.model, Dedicated: tt.dedicated, DefaultMaxTokens: tt.def})
		if err != nil {
			t.Fatalf("%s: %v", tt.model, err)
		}
		g := d.ChatRequest.(*generic.ChatRequest)
		got := ""
		switch {
		case g.MaxTokens != nil && g.MaxCompletionTokens != nil:
			got = "both"
		case g.MaxTokens != nil:
			got = "maxTokens=" + itoa(*g.MaxTokens)
		case g.MaxCompletionTokens != nil:
			got = "maxCompletionTokens=" + itoa(*g.MaxCompletionTokens)
		}
		if got != tt.want {
			t.Errorf("%s dedicated=%v mt=%v mct=%v: got %q, want %q", tt.model, tt.dedicated, tt.mt != nil, tt.mct != nil, got, tt.want)
		}
	}
}

func itoa(v int) string { b, _ := json.Marshal(v); return string(b) }

func TestRequestErrors(t *testing.T) {
	const user = `{"role":"user","content":"x"}`
	const tool = `"tools":[{"type":"function","function":{"name":"f"}}]`
	tests := []struct{ in, param string }{
		{`{"model":"m","messages":[]}`, "messages"},
		{`{"model":"m"}`, "messages"},
		{`{"model":"m","messages":[{"role":"function","name":"f","content":"x"}]}`, "messages[0].role"},
		{`{"model":"m","messages":[{"role":"bogus","content":"x"}]}`, "messages[0].role"},
		{`{"model":"m","messages":[{"content":"x"}]}`, "messages[0].role"},
		{`{"model":"m","messages":[` + user + `,{"role":"tool","content":"r"}]}`, "messages[1].tool_call_id"},
		{`{"model":"m","messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}]}`, "messages[0].tool_calls[0].id"},
		{`{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"arguments":"{}"}}]}]}`, "messages[0].tool_calls[0].function.name"},
		{`{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"a","type":"custom","function":{"name":"f"}}]}]}`, "messages[0].tool_calls[0].type"},
		{`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"bogus"}]}]}`, "messages[0].content[1].type"},
		{`{"model":"m","messages":[{"role":"user","content":[{"type":"image_url"}]}]}`, "messages[0].content[0].image_url.url"},
		{`{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"u","detail":"ultra"}}]}]}`, "messages[0].content[0].image_url.detail"},
		{`{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"format":"wav"}}]}]}`, "messages[0].content[0].input_audio.data"},
		{`{"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-1"}}]}]}`, "messages[0].content[0].file.file_id"},
		{`{"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{}}]}]}`, "messages[0].content[0].file.file_data"},
		{`{"model":"m","messages":[{"role":"user","content":[{"type":"refusal","refusal":"no"}]}]}`, "messages[0].content[0].type"},
		{`{"model":"m","messages":[` + user + `],"tools":[{"type":"custom","custom":{"name":"x"}}]}`, "tools[0].type"},
		{`{"model":"m","messages":[` + user + `],"tools":[{"type":"function","function":{"description":"d"}}]}`, "tools[0].function.name"},
		{`{"model":"m","messages":[` + user + `],` + tool + `,"tool_choice":"sometimes"}`, "tool_choice"},
		{`{"model":"m","messages":[` + user + `],"tool_choice":"required"}`, "tool_choice"},
		{`{"model":"m","messages":[` + user + `],"tool_choice":{"type":"function","function":{"name":"f"}}}`, "tool_choice"},
		{`{"model":"m","messages":[` + user + `],` + tool + `,"tool_choice":{"type":"function"}}`, "tool_choice"},
		{`{"model":"m","messages":[` + user + `],` + tool + `,"tool_choice":{"type":"custom","custom":{"name":"f"}}}`, "tool_choice"},
		{`{"model":"m","messages":[` + user + `],` + tool + `,"tool_choice":{"type":"allowed_tools"}}`, "tool_choice"},
		{`{"model":"m","messages":[` + user + `],` + tool + `,"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"none","tools":[]}}}`, "tool_choice"},
		{`{"model":"m","messages":[` + user + `],` + tool + `,"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{"name":"zzz"}}]}}}`, "tool_choice"},
		{`{"model":"m","messages":[` + user + `],"max_tokens":0}`, "max_tokens"},
		{`{"model":"m","messages":[` + user + `],"max_completion_tokens":-1,"max_tokens":10}`, "max_completion_tokens"},
		{`{"model":"m","messages":[` + user + `],"temperature":2.5}`, "temperature"},
		{`{"model":"m","messages":[` + user + `],"temperature":-0.1}`, "temperature"},
		{`{"model":"m","messages":[` + user + `],"top_p":1.5}`, "top_p"},
		{`{"model":"m","messages":[` + user + `],"frequency_penalty":-3}`, "frequency_penalty"},
		{`{"model":"m","messages":[` + user + `],"presence_penalty":2.1}`, "presence_penalty"},
		{`{"model":"m","messages":[` + user + `],"n":0}`, "n"},
		{`{"model":"m","messages":[` + user + `],"logprobs":true,"top_logprobs":21}`, "top_logprobs"},
		{`{"model":"m","messages":[` + user + `],"top_logprobs":2}`, "top_logprobs"},
		{`{"model":"m","messages":[` + user + `],"response_format":{"type":"xml"}}`, "response_format.type"},
		{`{"model":"m","messages":[` + user + `],"response_format":{"type":"json_schema"}}`, "response_format.json_schema"},
		{`{"model":"m","messages":[` + user + `],"response_format":{"type":"json_schema","json_schema":{"schema":{}}}}`, "response_format.json_schema.name"},
		{`{"model":"m","messages":[` + user + `],"reasoning_effort":"xhigh"}`, "reasoning_effort"},
		{`{"model":"m","messages":[` + user + `],"verbosity":"loud"}`, "verbosity"},
		{`{"model":"m","messages":[` + user + `],"web_search_options":{"search_context_size":"huge"}}`, "web_search_options.search_context_size"},
		{`{"model":"m","messages":[` + user + `],"prediction":{"type":"diff","content":"x"}}`, "prediction.type"},
	}
	for _, tt := range tests {
		_, _, err := generic.Request(ocitest.Request(t, tt.in), llama)
		if err == nil {
			t.Errorf("%s: no error, want param %q", tt.in, tt.param)
			continue
		}
		if got := ocitest.RequestErrParam(t, err); got != tt.param {
			t.Errorf("%s: param %q, want %q (%v)", tt.in, got, tt.param, err)
		}
	}

	if _, _, err := generic.Request(ocitest.Request(t, `{"messages":[`+user+`]}`), core.Target{}); ocitest.RequestErrParam(t, err) != "model" {
		t.Errorf("empty target model: %v", err)
	}
	if _, _, err := generic.Request(nil, llama); err == nil {
		t.Error("nil request: no error")
	}
}

// An effort hint (Anthropic's thinking and effort) reaches only the models known to take reasoningEffort; an
// explicit reasoning_effort wins, and an unknown hint is no error.
func TestReasoningEffortHint(t *testing.T) {
	for _, tc := range []struct {
		model, effort, hint, want string
		dedicated                 bool
	}{
		{"openai.gpt-oss-120b", "", "high", "HIGH", false},
		{"xai.grok-3-mini", "", "medium", "MEDIUM", false},
		{"openai.gpt-5", "low", "high", "LOW", false},
		{"xai.grok-4", "", "high", "", false},
		{"meta.llama-3.3-70b-instruct", "", "high", "", false},
		{"openai.gpt-oss-120b", "", "extreme", "", false},
		{"ocid1.generativeaiendpoint.oc1..e", "", "high", "", true},
	} {
		req := ocitest.Request(t, `{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"`+tc.effort+`"}`)
		req.ReasoningEffortHint = tc.hint
		d, _, err := generic.Request(req, core.Target{ModelID: tc.model, Dedicated: tc.dedicated})
		if err != nil {
			t.Fatal(err)
		}
		if got := d.ChatRequest.(*generic.ChatRequest).ReasoningEffort; got != tc.want {
			t.Errorf("%s, effort %q, hint %q: reasoningEffort %q, want %q", tc.model, tc.effort, tc.hint, got, tc.want)
		}
	}
}
