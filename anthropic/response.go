package anthropic

import (
	"encoding/json"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// newMessage encodes a whole hub answer as an Anthropic message: the first choice's reasoning as a thinking
// block (when showThinking), its text, then one tool_use block per call. The hub's id and model (the name
// the client asked for) are kept.
func newMessage(c *hub.ChatCompletion, showThinking bool) *Message {
	m := &Message{ID: c.ID, Type: "message", Role: "assistant", Model: c.Model, Content: []ResponseBlock{}, Usage: usage(c.Usage)}
	finish := ""
	if len(c.Choices) > 0 {
		ch := &c.Choices[0]
		rm := &ch.Message
		finish = ch.FinishReason
		if showThinking && rm.ReasoningContent != "" {
			m.Content = append(m.Content, thinkingBlock(rm.ReasoningContent))
		}
		if rm.Content != nil && *rm.Content != "" {
			m.Content = append(m.Content, textBlock(*rm.Content))
		}
		if rm.Refusal != nil && *rm.Refusal != "" {
			m.Content = append(m.Content, textBlock(*rm.Refusal))
			finish = "content_filter"
		}
		for i := range rm.ToolCalls {
			tc := &rm.ToolCalls[i]
			m.Content = append(m.Content, ResponseBlock{Type: "tool_use", ID: tc.ID, Name: tc.Function.Name, Input: input(tc.Function.Arguments)})
		}
		if len(rm.ToolCalls) > 0 {
			finish = "tool_calls"
		}
	}
	m.StopReason = stopReason(finish)
	return m
}

func textBlock(s string) ResponseBlock { return ResponseBlock{Type: "text", Text: &s} }

func thinkingBlock(s string) ResponseBlock {
	return ResponseBlock{Type: "thinking", Thinking: &s, Signature: new(string)}
}

// input is a tool call's arguments as the object Anthropic's input must be; anything else (a model's broken
// JSON) becomes {} rather than a response the client cannot parse.
func input(args string) json.RawMessage {
	s := strings.TrimSpace(args)
	if s == "" || s[0] != '{' || !json.Valid([]byte(s)) {
		return json.RawMessage("{}")
	}
	return json.RawMessage(s)
}

// Stop reasons, shared so every answer points at the same strings.
var (
	stopEndTurn   = "end_turn"
	stopMaxTokens = "max_tokens"
	stopToolUse   = "tool_use"
	stopRefusal   = "refusal"
	stopSequence  = "stop_sequence"
)

// stopReason maps the hub's finish reason ("stop" is end_turn; reply.refine tells stop sequences apart).
func stopReason(finish string) *string {
	switch finish {
	case "length":
		return &stopMaxTokens
	case "tool_calls":
		return &stopToolUse
	case "content_filter":
		return &stopRefusal
	}
	return &stopEndTurn
}

// usage maps the hub's usage: input_tokens leaves out the cached prompt tokens, which Anthropic counts as
// cache reads.
func usage(u *hub.Usage) Usage {
	if u == nil {
		return Usage{}
	}
	cached := 0
	if u.PromptTokensDetails != nil {
		cached = u.PromptTokensDetails.CachedTokens
	}
	return Usage{InputTokens: u.PromptTokens - cached, CacheReadInputTokens: cached, OutputTokens: u.CompletionTokens}
}
