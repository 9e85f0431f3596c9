package responses

import (
	"encoding/json"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

// echoDefaults are the request settings a bare request echoes.
const echoDefaults = `"error":null,"instructions":null,"max_output_tokens":null,"model":"m","parallel_tool_calls":true,
	"previous_response_id":null,"reasoning":{},"store":false,"temperature":null,"text":{"format":{"type":"text"}},
	"tool_choice":"auto","top_p":null,"truncation":"disabled","metadata":{}`

func completion(t *testing.T, js string) *hub.ChatCompletion {
	t.Helper()
	var c hub.ChatCompletion
	if err := json.Unmarshal([]byte(js), &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

func TestEncode(t *testing.T) {
	cases := []struct{ name, request, completion, response string }{
		{
			name:    "reasoning and text, usage with details",
			request: `{"model":"m","input":"Hi"}`,
			completion: `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,
				"message":{"role":"assistant","content":"Hello","reasoning_content":"Thinking"},"finish_reason":"stop"}],
				"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":3}}}`,
			response: `{"id":"resp_abc","object":"response","created_at":1700000000,"status":"completed","incomplete_details":null,` + echoDefaults + `,"tools":[],
				"output":[{"id":"rs_abc_0","type":"reasoning","summary":[{"type":"summary_text","text":"Thinking"}]},
					{"id":"msg_abc_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello","annotations":[],"logprobs":[]}]}],
				"usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":2},"output_tokens":5,"output_tokens_details":{"reasoning_tokens":3},"total_tokens":15}}`,
		},
		{
			name: "tool calls: custom, namespaced, empty arguments, a name no tool has",
			request: `{"model":"m","input":"x","tools":[{"type":"custom","name":"apply_patch"},
				{"type":"namespace","name":"ns","tools":[{"type":"function","name":"f"}]},{"type":"function","name":"g"}]}`,
			completion: `{"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
				{"id":"call_1","type":"function","function":{"name":"apply_patch","arguments":"{\"input\":\"*** Begin\"}"}},
				{"id":"call_2","type":"function","function":{"name":"ns__f","arguments":"{\"a\":1}"}},
				{"id":"call_3","type":"function","function":{"name":"g","arguments":""}},
				{"id":"call_4","type":"function","function":{"name":"made_up","arguments":"{}"}}]},"finish_reason":"tool_calls"}],
				"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}`,
			response: `{"id":"resp_abc","object":"response","created_at":1700000000,"status":"completed","incomplete_details":null,` + echoDefaults + `,
				"tools":[{"type":"custom","name":"apply_patch"},{"type":"namespace","name":"ns","tools":[{"type":"function","name":"f"}]},{"type":"function","name":"g"}],
				"output":[
					{"id":"ctc_abc_0","type":"custom_tool_call","status":"completed","call_id":"call_1","name":"apply_patch","input":"*** Begin"},
					{"id":"fc_abc_1","type":"function_call","status":"completed","call_id":"call_2","namespace":"ns","name":"f","arguments":"{\"a\":1}"},
					{"id":"fc_abc_2","type":"function_call","status":"completed","call_id":"call_3","name":"g","arguments":"{}"},
					{"id":"fc_abc_3","type":"function_call","status":"completed","call_id":"call_4","name":"made_up","arguments":"{}"}],
				"usage":{"input_tokens":3,"input_tokens_details":{"cached_tokens":0},"output_tokens":4,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":7}}`,
		},
		{
			name: "cut at the token limit: incomplete, settings echoed",
			request: `{"model":"m","input":"x","instructions":"Be brief.","max_output_tokens":2,"temperature":0.2,"top_p":0.5,"parallel_tool_calls":false,
				"reasoning":{"effort":"low"},"text":{"verbosity":"low"},"metadata":{"k":"v"},"user":"u","tool_choice":"none"}`,
			completion: `{"choices":[{"index":0,"message":{"role":"assistant","content":"Hello from"},"finish_reason":"length"}],"usage":{"prompt_tokens":1,"completion_tokens":2}}`,
			response: `{"id":"resp_abc","object":"response","created_at":1700000000,"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},
				"error":null,"instructions":"Be brief.","max_output_tokens":2,"model":"m","parallel_tool_calls":false,"previous_response_id":null,
				"reasoning":{"effort":"low"},"store":false,"temperature":0.2,"text":{"format":{"type":"text"},"verbosity":"low"},"tool_choice":"none","tools":[],
				"top_p":0.5,"truncation":"disabled","user":"u","metadata":{"k":"v"},
				"output":[{"id":"msg_abc_0","type":"message","status":"incomplete","role":"assistant","content":[{"type":"output_text","text":"Hello from","annotations":[],"logprobs":[]}]}],
				"usage":{"input_tokens":1,"input_tokens_details":{"cached_tokens":0},"output_tokens":2,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":3}}`,
		},
		{
			name:    "refusal and a content filter; annotations",
			request: `{"model":"m","input":"x"}`,
			completion: `{"choices":[{"index":0,"message":{"role":"assistant","content":"See docs.","refusal":"No more.",
				"annotations":[{"type":"url_citation","url_citation":{"start_index":4,"end_index":8,"title":"Docs","url":"https://d"}}]},"finish_reason":"content_filter"}]}`,
			response: `{"id":"resp_abc","object":"response","created_at":1700000000,"status":"incomplete","incomplete_details":{"reason":"content_filter"},` + echoDefaults + `,"tools":[],
				"output":[{"id":"msg_abc_0","type":"message","status":"incomplete","role":"assistant","content":[
					{"type":"output_text","text":"See docs.","annotations":[{"type":"url_citation","start_index":4,"end_index":8,"title":"Docs","url":"https://d"}],"logprobs":[]},
					{"type":"refusal","refusal":"No more."}]}],
				"usage":{"input_tokens":0,"input_tokens_details":{"cached_tokens":0},"output_tokens":0,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":0}}`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			turn := decodeTurn(t, c.request)
			sameJSON(t, turn.Encode(completion(t, c.completion)), c.response)
		})
	}
}
