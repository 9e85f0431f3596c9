package core

import (
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// FinishReason maps OCI's open set of finish reasons (GENERIC lower-case, Cohere and Gemini upper-case) to the
// hub's stop, length, tool_calls and content_filter.
func FinishReason(oci string) string {
	switch oci { // fast path: the values GENERIC actually sends
	case "stop", "":
		return hub.FinishStop
	case "length":
		return hub.FinishLength
	case "tool_calls":
		return hub.FinishToolCalls
	case "content_filter":
		return hub.FinishContentFilter
	}
	switch strings.ToLower(oci) {
	case "length", "max_tokens", "max_output_tokens", "max_completion_tokens", "error_limit":
		return hub.FinishLength
	case "tool_calls", "tool_call", "tool_use", "function_call":
		return hub.FinishToolCalls
	case "content_filter", "content_filtered", "error_toxic", "safety", "recitation",
		"prohibited_content", "blocklist", "spii", "image_safety":
		return hub.FinishContentFilter
	}
	return hub.FinishStop // COMPLETE, STOP_SEQUENCE, end_turn, CANCELLED, ERROR…
}

// WithToolCalls is the finish reason of a choice that made tool calls: some models (Llama, Cohere) report stop
// despite them.
func WithToolCalls(reason string) string {
	if reason == hub.FinishStop {
		return hub.FinishToolCalls
	}
	return reason
}
