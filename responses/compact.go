package responses

import (
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// Compaction, statelessly. Codex asks the server to compact a conversation that fills the context window,
// either with a final compaction_trigger input item or with POST /v1/responses/compact. The gateway asks the
// same model for a hand-off summary of the conversation and answers with a compaction item whose
// encrypted_content is that summary, sealed (seal.go). The client keeps the item as opaque history; when it
// comes back as input, the gateway opens it and the summary takes the place of the turns it replaced.
//
// What Codex 0.169 does (observed with the real binary): with its built-in openai provider (openai_base_url
// pointed at the gateway) it compacts remotely, by a streaming request whose input ends in compaction_trigger and
// whose tools are the turn's own (x-codex-turn-metadata says implementation "responses_compaction_v2"), then
// sends the compaction item back at the head of the next request. With a custom provider it compacts locally
// ("implementation":"responses"): an ordinary request, no tools, ending in a user message asking for a hand-off
// summary, whose answer it keeps as a user message; that needs nothing from the gateway.

// compacted is the sealed payload of a compaction item.
type compacted struct {
	Summary string `json:"summary"`
}

const sealCompaction = "compaction"

// summaryPrompt asks for the hand-off summary.
const summaryPrompt = `You compact the conversation between a user and an AI coding assistant that follows, so that the work can continue in a fresh context window where only your summary remains.
Write a hand-off summary that lets the assistant carry on without the transcript: the user's goals, requests and constraints; decisions made and why; the current state of the work (files created or changed, commands run and the results that matter); errors still open; and the next steps.
Keep exact file paths, identifiers, commands, versions and error messages where they matter. Leave out small talk and anything already superseded. Do not invent anything. Write only the summary.`

// summaryIntro introduces an expanded summary to the model.
const summaryIntro = "The earlier part of this conversation was compacted to save context. Its summary follows; continue from it.\n\n"

// clipAt bounds each tool output and argument string in the transcript: a context that is full is what
// compaction is for, so no single output may take it all.
const clipAt = 6000

// summaryRequest is the hub request that summarises msgs. The conversation goes in as a transcript, so that
// tool calls need no tool definitions and any model family takes it; system text is left out (the client sends
// its instructions again with every request).
func summaryRequest(model string, msgs []hub.Message) hub.ChatRequest {
	var b strings.Builder
	b.WriteString("<transcript>\n")
	for i := range msgs {
		writeTurn(&b, &msgs[i])
	}
	b.WriteString("</transcript>")
	return hub.ChatRequest{Model: model, Messages: []hub.Message{
		{Role: "system", Content: hub.TextContent(summaryPrompt)},
		{Role: "user", Content: hub.TextContent(b.String())},
	}}
}

func writeTurn(b *strings.Builder, m *hub.Message) {
	text := m.Content.Text
	if m.Content.Parts != nil {
		var parts []string
		for _, p := range m.Content.Parts {
			switch {
			case p.Type == "text":
				parts = append(parts, p.Text)
			case p.Type == "image_url":
				parts = append(parts, "[image]")
			default:
				parts = append(parts, "["+p.Type+"]")
			}
		}
		text = strings.Join(parts, "\n")
	}
	switch m.Role {
	case "tool":
		b.WriteString("[result of tool call " + m.ToolCallID + "]\n" + clip(text) + "\n\n")
		return
	case "assistant":
		if text != "" {
			b.WriteString("[assistant]\n" + text + "\n\n")
		}
		for _, tc := range m.ToolCalls {
			b.WriteString("[assistant called " + tc.Function.Name + ", call " + tc.ID + "]\n" + clip(tc.Function.Arguments) + "\n\n")
		}
		return
	}
	b.WriteString("[" + m.Role + "]\n" + text + "\n\n")
}

// clip keeps the head and the tail of a long string.
func clip(s string) string {
	if len(s) <= clipAt {
		return s
	}
	head, tail := validUTF8Prefix(s[:clipAt/2]), validUTF8Suffix(s[len(s)-clipAt/2:])
	return head + "\n[… " + itoa(len(s)-len(head)-len(tail)) + " bytes left out …]\n" + tail
}

// compaction expands a compaction item the gateway made into the summary it holds.
func (h *history) compaction(it *Item, i int) *hub.Error {
	var c compacted
	switch err := h.sealer.open(sealCompaction, it.EncryptedContent, &c); err {
	case nil:
	case errForeign:
		return invalid(at(i, "encrypted_content"), "This compaction item was not made by this gateway, so its summary cannot be read. Start a new conversation, or leave the item out.")
	default:
		return invalid(at(i, "encrypted_content"), "This compaction item was made by this gateway for another API key (or has been altered), so its summary cannot be read. Start a new conversation, or leave the item out.")
	}
	h.msgs = append(h.msgs, hub.Message{Role: "user", Content: hub.TextContent(summaryIntro + c.Summary)})
	return nil
}

// compactionItem seals summary into the item the client keeps. Decode made sure there is a key to seal with.
func (t *Turn) compactionItem(summary string) CompactionItem {
	blob, _ := t.sealer.seal(sealCompaction, compacted{Summary: summary})
	return CompactionItem{ID: t.itemID("cmp_", 0), Type: "compaction", EncryptedContent: blob}
}
