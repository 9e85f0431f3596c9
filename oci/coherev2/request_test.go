package coherev2_test

import (
	"testing"

	"github.com/ociai/ociai-proxy/oci/coherev2"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

var commandAVision = core.Target{ModelID: "cohere.command-a-vision-07-2025", CompartmentID: "ocid1.compartment.oc1..c", DefaultMaxTokens: 600}

func TestRequest(t *testing.T) {
	ocitest.RunRequests(t, coherev2.Request, commandAVision, []ocitest.RequestCase{
		{
			Name: "roles, images, tool calls and results",
			In: `{"model":"m","messages":[
				{"role":"system","content":"sys"},{"role":"developer","content":[{"type":"text","text":"dev"}]},
				{"role":"user","content":[{"type":"text","text":"What is this?"},
					{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR","detail":"high"}},
					{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]},
				{"role":"assistant","content":null,"reasoning_content":"I should look it up.","tool_calls":[
					{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"q\":\"cat\"}"}},
					{"id":"call_2","function":{"name":"now","arguments":""}}]},
				{"role":"tool","tool_call_id":"call_1","content":"a cat"},
				{"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"noon"}]},
				{"role":"assistant","content":"A cat at noon."},
				{"role":"user","content":"thanks"}]}`,
			Want: `{"apiFormat":"COHEREV2","maxTokens":600,"messages":[
				{"role":"SYSTEM","content":[{"type":"TEXT","text":"sys"}]},
				{"role":"SYSTEM","content":[{"type":"TEXT","text":"dev"}]},
				{"role":"USER","content":[{"type":"TEXT","text":"What is this?"},
					{"type":"IMAGE_URL","imageUrl":{"url":"data:image/png;base64,iVBOR","detail":"HIGH"}},
					{"type":"IMAGE_URL","imageUrl":{"url":"https://example.com/cat.jpg"}}]},
				{"role":"ASSISTANT","content":[{"type":"TEXT","text":" "}],"toolPlan":"I should look it up.","toolCalls":[
					{"id":"call_1","type":"FUNCTION","function":{"name":"lookup","arguments":"{\"q\":\"cat\"}"}},
					{"id":"call_2","type":"FUNCTION","function":{"name":"now","arguments":"{}"}}]},
				{"role":"TOOL","toolCallId":"call_1","content":[{"type":"TEXT","text":"a cat"}]},
				{"role":"TOOL","toolCallId":"call_2","content":[{"type":"TEXT","text":"noon"}]},
				{"role":"ASSISTANT","content":[{"type":"TEXT","text":"A cat at noon."}]},
				{"role":"USER","content":[{"type":"TEXT","text":"thanks"}]}]}`,
		},
		{
			Name: "empty contents and a refusal",
			In: `{"model":"m","messages":[{"role":"user","content":""},{"role":"assistant","content":null,"refusal":"no"},
				{"role":"user","content":[]},{"role":"assistant","content":[{"type":"refusal","refusal":"nope"}]},
				{"role":"user","content":"x"},{"role":"assistant","content":""},
				{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":""}]}`,
			Want: `{"apiFormat":"COHEREV2","maxTokens":600,"messages":[
				{"role":"USER","content":[{"type":"TEXT","text":""}]},{"role":"ASSISTANT","content":[{"type":"TEXT","text":"no"}]},
				{"role":"USER","content":[{"type":"TEXT","text":""}]},{"role":"ASSISTANT","content":[{"type":"TEXT","text":"nope"}]},
				{"role":"USER","content":[{"type":"TEXT","text":"x"}]},{"role":"ASSISTANT","content":[{"type":"TEXT","text":" "}]},
				{"role":"ASSISTANT","content":[{"type":"TEXT","text":" "}],"toolCalls":[{"id":"c","type":"FUNCTION","function":{"name":"f","arguments":"{}"}}]},
				{"role":"TOOL","toolCallId":"c","content":[{"type":"TEXT","text":""}]}]}`,
		},
		{
			Name: "tools, required, strict, sampling, json_schema, reasoning, stream",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":99,"temperature":0.5,"top_p":0.8,"top_k":3,"seed":1,
				"frequency_penalty":0.5,"presence_penalty":0.25,"stop":["a"],"reasoning_effort":"medium",
				"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"object"}}},
				"stream":true,"stream_options":{"include_usage":true},"tool_choice":"required","parallel_tool_calls":true,
				"tools":[{"type":"function","function":{"name":"f","description":"d","strict":true,"parameters":{"type":"object","properties":{"a":{"anyOf":[{"type":"string"},{"type":"integer"}]}}}}},
					{"type":"function","function":{"name":"g"}}]}`,
			Want: `{"apiFormat":"COHEREV2","messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],"maxTokens":99,"temperature":0.5,"topP":0.8,"topK":3,"seed":1,
				"frequencyPenalty":0.5,"presencePenalty":0.25,"stopSequences":["a"],"thinking":{"type":"ENABLED"},
				"responseFormat":{"type":"JSON_OBJECT","schema":{"type":"object"}},"isStream":true,"streamOptions":{"isIncludeUsage":true},
				"toolsChoice":"REQUIRED","isStrictToolsEnabled":true,
				"tools":[{"type":"FUNCTION","function":{"name":"f","description":"d","parameters":{"type":"object","properties":{"a":{"anyOf":[{"type":"string"},{"type":"integer"}]}}}}},
					{"type":"FUNCTION","function":{"name":"g","parameters":{"type":"object","properties":{}}}}]}`,
			Dropped: []string{"parallel_tool_calls"},
		},
		{
			Name: "reasoning none disables thinking; tool_choice none",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning_effort":"none","tool_choice":"none",
				"tools":[{"type":"function","function":{"name":"f"}}]}`,
			Want: `{"apiFormat":"COHEREV2","maxTokens":600,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],"thinking":{"type":"DISABLED"},
				"toolsChoice":"NONE","tools":[{"type":"FUNCTION","function":{"name":"f","parameters":{"type":"object","properties":{}}}}]}`,
		},
		{
			Name: "named function: REQUIRED with only that tool",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"function","function":{"name":"g"}},
				"tools":[{"type":"function","function":{"name":"f"}},{"type":"function","function":{"name":"g"}}]}`,
			Want: `{"apiFormat":"COHEREV2","maxTokens":600,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"toolsChoice":"REQUIRED","tools":[{"type":"FUNCTION","function":{"name":"g","parameters":{"type":"object","properties":{}}}}]}`,
		},
		{
			Name: "allowed_tools auto narrows; tool_choice auto is the default",
			In: `{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{"name":"f"}}]}},
				"tools":[{"type":"function","function":{"name":"f"}},{"type":"function","function":{"name":"g"}}]}`,
			Want: `{"apiFormat":"COHEREV2","maxTokens":600,"messages":[{"role":"USER","content":[{"type":"TEXT","text":"x"}]}],
				"tools":[{"type":"FUNCTION","function":{"name":"f","parameters":{"type":"object","properties":{}}}}]}`,
		},
	})
}

func TestRequestErrors(t *testing.T) {
	user := `[{"role":"user","content":"x"}]`
	tools := `[{"type":"function","function":{"name":"f"}}]`
	ocitest.RunErrors(t, coherev2.Request, commandAVision, [][3]string{
		{"no messages", `{"messages":[]}`, "messages"},
		{"bad role", `{"messages":[{"role":"bot"}]}`, "messages[0].role"},
		{"function role", `{"messages":[{"role":"function"}]}`, "messages[0].role"},
		{"image without url", `{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":""}}]}]}`, "messages[0].content[0].image_url.url"},
		{"image detail", `{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"u","detail":"max"}}]}]}`, "messages[0].content[0].image_url.detail"},
		{"image in system", `{"messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"u"}}]}]}`, "messages[0].content[0].type"},
		{"file part", `{"messages":[{"role":"user","content":[{"type":"file","file":{"file_data":"x"}}]}]}`, "messages[0].content[0].type"},
		{"refusal from user", `{"messages":[{"role":"user","content":[{"type":"refusal","refusal":"x"}]}]}`, "messages[0].content[0].type"},
		{"tool without id", `{"messages":[{"role":"tool","content":"x"}]}`, "messages[0].tool_call_id"},
		{"call without id", `{"messages":[{"role":"assistant","tool_calls":[{"function":{"name":"f"}}]}]}`, "messages[0].tool_calls[0].id"},
		{"call without name", `{"messages":[{"role":"assistant","tool_calls":[{"id":"a","function":{}}]}]}`, "messages[0].tool_calls[0].function.name"},
		{"call type", `{"messages":[{"role":"assistant","tool_calls":[{"id":"a","type":"x","function":{"name":"f"}}]}]}`, "messages[0].tool_calls[0].type"},
		{"reasoning_effort", `{"reasoning_effort":"max","messages":` + user + `}`, "reasoning_effort"},
		{"n", `{"n":3,"messages":` + user + `}`, "n"},
		{"tool type", `{"tools":[{"type":"x"}],"messages":` + user + `}`, "tools[0].type"},
		{"tool name", `{"tools":[{"type":"function","function":{}}],"messages":` + user + `}`, "tools[0].function.name"},
		{"required without tools", `{"tool_choice":"required","messages":` + user + `}`, "tool_choice"},
		{"function without tools", `{"tool_choice":{"type":"function","function":{"name":"f"}},"messages":` + user + `}`, "tool_choice"},
		{"function unknown", `{"tool_choice":{"type":"function","function":{"name":"g"}},"tools":` + tools + `,"messages":` + user + `}`, "tool_choice"},
		{"function without name", `{"tool_choice":{"type":"function"},"tools":` + tools + `,"messages":` + user + `}`, "tool_choice"},
		{"allowed_tools missing", `{"tool_choice":{"type":"allowed_tools"},"tools":` + tools + `,"messages":` + user + `}`, "tool_choice"},
		{"allowed_tools mode", `{"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"x"}},"tools":` + tools + `,"messages":` + user + `}`, "tool_choice"},
		{"allowed_tools none defined", `{"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[]}},"tools":` + tools + `,"messages":` + user + `}`, "tool_choice"},
		{"tool_choice type", `{"tool_choice":{"type":"x"},"tools":` + tools + `,"messages":` + user + `}`, "tool_choice"},
		{"tool_choice mode", `{"tool_choice":"x","tools":` + tools + `,"messages":` + user + `}`, "tool_choice"},
	})
	if _, _, err := coherev2.Request(nil, commandAVision); err == nil {
		t.Error("nil request accepted")
	}
	if _, _, err := coherev2.Request(ocitest.Request(t, `{"messages":`+user+`}`), core.Target{}); ocitest.RequestErrParam(t, err) != "model" {
		t.Error("empty model accepted")
	}
}

// An effort hint switches thinking on for Cohere's reasoning models only.
func TestReasoningEffortHint(t *testing.T) {
	for model, want := range map[string]bool{"cohere.command-a-reasoning-08-2025": true, "cohere.command-a-vision-07-2025": false} {
		req := ocitest.Request(t, `{"messages":[{"role":"user","content":"x"}]}`)
		req.ReasoningEffortHint = "high"
		d, _, err := coherev2.Request(req, core.Target{ModelID: model})
		if err != nil {
			t.Fatal(err)
		}
		th := d.ChatRequest.(*coherev2.ChatRequest).Thinking
		if (th != nil && th.Type == "ENABLED") != want {
			t.Errorf("%s: thinking %+v, want enabled %v", model, th, want)
		}
	}
}
