package responses

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/hub"
)

const conversation = `[
	{"type":"message","role":"developer","content":"Base instructions."},
	{"type":"message","role":"user","content":[{"type":"input_text","text":"Fix the build"},{"type":"input_image","image_url":"https://x/y.png"}]},
	{"type":"reasoning","summary":[{"type":"summary_text","text":"Look first."}]},
	{"type":"function_call","call_id":"c1","name":"exec_command","arguments":"{\"cmd\":\"go build\"}"},
	{"type":"function_call_output","call_id":"c1","output":"main.go:3: undefined: x"},
	{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Found it."}]},
	{"type":"custom_tool_call","call_id":"c2","name":"apply_patch","input":"*** Begin Patch"}`

// The summary request carries the conversation as a transcript (no system text, no tool definitions needed;
// a call still waiting for its output is fine).
func TestSummaryRequest(t *testing.T) {
	turn := decodeTurn(t, `{"model":"m","stream":true,"input":`+conversation+`,{"type":"compaction_trigger"}]}`)
	transcript := "<transcript>\n[user]\nFix the build\n[image]\n\n" +
		"[assistant called exec_command, call c1]\n{\"cmd\":\"go build\"}\n\n" +
		"[result of tool call c1]\nmain.go:3: undefined: x\n\n" +
		"[assistant]\nFound it.\n\n" +
		"[assistant called apply_patch, call c2]\n{\"input\":\"*** Begin Patch\"}\n\n</transcript>"
	want := hub.ChatRequest{Model: "m", Stream: true, StreamOptions: &hub.StreamOptions{IncludeUsage: true},
		Messages: []hub.Message{
			{Role: "system", Content: hub.TextContent(summaryPrompt)},
			{Role: "user", Content: hub.TextContent(transcript)}}}
	w, _ := json.Marshal(&want)
	sameJSON(t, &turn.Hub, string(w))
}

// compaction_trigger: the stream holds one compaction item; sent back, the item becomes the summary.
func TestCompactionTrigger(t *testing.T) {
	turn := decodeTurn(t, `{"model":"m","stream":true,"input":`+conversation+`,{"type":"compaction_trigger"}]}`)
	got := run(t, turn, chunks(t, `
{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}
{"choices":[{"index":0,"delta":{"reasoning_content":"hmm"}}]}
{"choices":[{"index":0,"delta":{"content":"The build fails: "}}]}
{"choices":[{"index":0,"delta":{"content":"x is undefined."},"finish_reason":"stop"}]}
{"choices":[],"usage":{"prompt_tokens":90,"completion_tokens":9,"total_tokens":99}}`))
	types := make([]string, len(got))
	for i, l := range got {
		var d struct{ Type string }
		_ = json.Unmarshal([]byte(l), &d)
		types[i] = d.Type
	}
	if strings.Join(types, " ") != "response.created response.in_progress response.output_item.added response.output_item.done response.completed" {
		t.Fatalf("events %v", types)
	}
	var done struct{ Item CompactionItem }
	_ = json.Unmarshal([]byte(got[3]), &done)
	if done.Item.Type != "compaction" || done.Item.ID != "cmp_abc_0" || !strings.HasPrefix(done.Item.EncryptedContent, sealPrefix) {
		t.Fatalf("item %+v", done.Item)
	}
	if strings.Contains(done.Item.EncryptedContent, "undefined") {
		t.Error("the summary is readable in the item")
	}
	var completed struct{ Response Response }
	_ = json.Unmarshal([]byte(got[4]), &completed)
	if completed.Response.Status != "completed" || len(completed.Response.Output) != 1 || completed.Response.Usage.TotalTokens != 99 {
		t.Errorf("completed %s", got[4])
	}

	item, _ := json.Marshal(done.Item)
	next := decodeTurn(t, `{"model":"m","input":[{"type":"message","role":"user","content":"Fix the build"},`+string(item)+`,{"role":"user","content":"go on"}]}`)
	sameJSON(t, next.Hub.Messages, `[{"role":"user","content":"Fix the build"},
		{"role":"user","content":"The earlier part of this conversation was compacted to save context. Its summary follows; continue from it.\n\nThe build fails: x is undefined."},
		{"role":"user","content":"go on"}]`)

	other := NewSealer(func() []byte { return []byte("sk-another-key") })
	if _, e := Decode([]byte(`{"model":"m","input":[`+string(item)+`]}`), other); e == nil || !strings.Contains(e.Message, "another API key") {
		t.Errorf("opened under another key: %v", e)
	}
}

// POST /v1/responses/compact answers the input's user messages and one compaction item.
func TestCompactEndpoint(t *testing.T) {
	turn, e := DecodeCompact([]byte(`{"model":"m","input":`+conversation+`]}`), testSealer(t))
	if e != nil {
		t.Fatal(e)
	}
	turn.ID, turn.Created = "resp_abc", 1700000000
	if turn.Hub.Stream || len(turn.Hub.Messages) != 2 {
		t.Fatalf("hub %+v", turn.Hub)
	}
	c := turn.Encode(completion(t, `{"choices":[{"index":0,"message":{"role":"assistant","content":"Summary."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}`)).(*Compacted)
	item := c.Output[1].(CompactionItem)
	c.Output[1] = nil
	sameJSON(t, c, `{"id":"resp_abc","object":"response.compaction","created_at":1700000000,"output":[
		{"id":"msg_abc_0","type":"message","status":"completed","role":"user","content":[{"type":"input_text","text":"Fix the build"},{"type":"input_image","text":"","image_url":"https://x/y.png"}]},
		null],"usage":{"input_tokens":5,"input_tokens_details":{"cached_tokens":0},"output_tokens":1,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":6}}`)
	var back compacted
	if err := testSealer(t).open(sealCompaction, item.EncryptedContent, &back); err != nil || back.Summary != "Summary." {
		t.Errorf("item opens to %+v, %v", back, err)
	}
}

func TestClip(t *testing.T) {
	long := strings.Repeat("é", clipAt) // 2 bytes a rune: both cuts fall inside runes
	got := clip(long)
	if len(got) > clipAt+64 || !strings.Contains(got, " bytes left out ") || !strings.HasPrefix(got, "é") || !strings.HasSuffix(got, "é") {
		t.Errorf("clip: %d bytes, %q…", len(got), got[:20])
	}
	if clip("short") != "short" {
		t.Error("a short string changed")
	}
}

// The sealing key follows the secret: an item sealed before it changed no longer opens, and without a secret
// there is no compaction.
func TestSealerFollowsTheSecret(t *testing.T) {
	secret := "sk-a"
	s := NewSealer(func() []byte { return []byte(secret) })
	blob, err := s.seal(sealCompaction, compacted{Summary: "x"})
	if err != nil {
		t.Fatal(err)
	}
	var c compacted
	if err := s.open(sealCompaction, blob, &c); err != nil || c.Summary != "x" {
		t.Fatalf("open: %v %+v", err, c)
	}
	if err := s.open("reasoning", blob, &c); err != errBroken {
		t.Errorf("opened for another purpose: %v", err)
	}
	secret = "sk-b"
	if err := s.open(sealCompaction, blob, &c); err != errBroken {
		t.Errorf("opened under a changed secret: %v", err)
	}
	secret = ""
	_, e := Decode([]byte(`{"model":"m","input":[{"role":"user","content":"x"},{"type":"compaction_trigger"}]}`), s)
	if e == nil || e.Status != 500 || e.Code != "compaction_unavailable" {
		t.Errorf("compaction without a secret: %+v", e)
	}
}
