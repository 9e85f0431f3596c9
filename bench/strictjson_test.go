package main

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/openai"
	"github.com/ociai/ociai-proxy/strictjson"
)

// BenchmarkStrictJSON measures what the key check adds to decoding a request body: "decode" is json.Unmarshal
// alone, "check" the key scan alone, "both" what the gateway does. Run: go test -bench StrictJSON ./bench/
func BenchmarkStrictJSON(b *testing.B) {
	for _, c := range strictBodies() {
		for _, mode := range []string{"decode", "check", "both"} {
			b.Run(c.name+"/"+mode, func(b *testing.B) {
				b.SetBytes(int64(len(c.body)))
				b.ReportAllocs()
				for b.Loop() {
					v := reflect.New(c.typ).Interface()
					if mode != "decode" {
						if err := strictjson.Check(c.body, c.typ); err != nil {
							b.Fatal(err)
						}
					}
					if mode != "check" {
						if err := json.Unmarshal(c.body, v); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}

type strictBody struct {
	name string
	typ  reflect.Type
	body []byte
}

// strictBodies are the shapes real clients send: a short chat, an agent turn with tools and history, a long
// conversation, a large image, and a full batch of embeddings inputs.
func strictBodies() []strictBody {
	chat, embed := reflect.TypeFor[hub.ChatRequest](), reflect.TypeFor[openai.EmbeddingRequest]()
	tool := `{"type":"function","function":{"name":"read_file","description":"Read a file from the workspace","parameters":{"type":"object","properties":{"path":{"type":"string","description":"relative path"},"start":{"type":"integer"},"end":{"type":"integer"}},"required":["path"]}}}`
	var agent, long strings.Builder
	agent.WriteString(`{"model":"grok-4","stream":true,"stream_options":{"include_usage":true},"tools":[` + strings.Repeat(tool+",", 19) + tool + `],"messages":[{"role":"system","content":"You are a coding agent."}`)
	for i := range 50 {
		agent.WriteString(`,{"role":"user","content":[{"type":"text","text":"step ` + strconv.Itoa(i) + `: ` + strings.Repeat("please look at the code ", 20) + `"}]}`)
		agent.WriteString(`,{"role":"assistant","content":null,"tool_calls":[{"id":"call_` + strconv.Itoa(i) + `","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"main.go\"}"}}]}`)
		agent.WriteString(`,{"role":"tool","tool_call_id":"call_` + strconv.Itoa(i) + `","content":"` + strings.Repeat(`package main\nfunc main() {}\n`, 30) + `"}`)
	}
	agent.WriteString(`]}`)
	long.WriteString(`{"model":"llama","messages":[{"role":"system","content":"be brief"}`)
	for i := 1; i < 10_000; i++ {
		long.WriteString(`,{"role":"user","content":"message ` + strconv.Itoa(i) + `"}`)
	}
	long.WriteString(`]}`)
	image := base64.StdEncoding.EncodeToString(make([]byte, 3_750_000))
	inputs := make([]string, 2048)
	for i := range inputs {
		inputs[i] = strconv.Quote("document " + strconv.Itoa(i) + ": " + strings.Repeat("lorem ipsum ", 40))
	}
	return []strictBody{
		{"chat-small", chat, []byte(`{"model":"grok-4","messages":[{"role":"system","content":"You are helpful."},{"role":"user","content":"Hello! How are you today?"}],"temperature":0.7,"max_tokens":500}`)},
		{"chat-agent", chat, []byte(agent.String())},
		{"chat-10k-messages", chat, []byte(long.String())},
		{"chat-5MB-image", chat, []byte(`{"model":"llama","messages":[{"role":"user","content":[{"type":"text","text":"what is this"},{"type":"image_url","image_url":{"url":"data:image/png;base64,` + image + `"}}]}]}`)},
		{"embed-2048", embed, []byte(`{"model":"embed","input":[` + strings.Join(inputs, ",") + `]}`)},
	}
}
