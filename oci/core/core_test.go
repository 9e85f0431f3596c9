package core_test

import (
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/oci/core"
)

func TestSyntheticCallIDStable(t *testing.T) {
	a, b := core.SyntheticCallID("chatcmpl-1", 0, 1), core.SyntheticCallID("chatcmpl-1", 0, 1)
	if a != b || len(a) != len("call_")+16 || a[:5] != "call_" {
		t.Errorf("ids %q %q", a, b)
	}
	seen := map[string]bool{}
	for c := 0; c < 3; c++ {
		for k := 0; k < 50; k++ {
			id := core.SyntheticCallID("chatcmpl-1", c, k)
			if seen[id] {
				t.Fatalf("collision at choice %d call %d", c, k)
			}
			seen[id] = true
		}
	}
}

func TestFinishReason(t *testing.T) {
	tests := map[string]string{
		"stop": "stop", "": "stop", "COMPLETE": "stop", "STOP_SEQUENCE": "stop", "STOP": "stop", "end_turn": "stop",
		"CANCELLED": "stop", "ERROR": "stop", "USER_CANCEL": "stop", "whatever": "stop",
		"length": "length", "MAX_TOKENS": "length", "max_tokens": "length", "LENGTH": "length", "ERROR_LIMIT": "length",
		"tool_calls": "tool_calls", "TOOL_CALL": "tool_calls", "TOOL_CALLS": "tool_calls", "function_call": "tool_calls",
		"content_filter": "content_filter", "CONTENT_FILTERED": "content_filter", "ERROR_TOXIC": "content_filter", "SAFETY": "content_filter",
	}
	for in, want := range tests {
		if got := core.FinishReason(in); got != want {
			t.Errorf("core.FinishReason(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCohereCallIDStable(t *testing.T) {
	a := core.CohereCallID(0, "f", `{"b":1,"a":[1,2]}`)
	if a != core.CohereCallID(0, "f", `{ "a": [1, 2], "b": 1 }`) {
		t.Error("id depends on key order or whitespace")
	}
	if !strings.HasPrefix(a, "call_") || len(a) != 5+24 {
		t.Errorf("id %q", a)
	}
	for _, other := range []string{core.CohereCallID(1, "f", `{"a":[1,2],"b":1}`), core.CohereCallID(0, "g", `{"a":[1,2],"b":1}`), core.CohereCallID(0, "f", `{"a":[1,2],"b":2}`)} {
		if other == a {
			t.Error("distinct calls share an id")
		}
	}
	// litellm's scheme: sha256("0|f|{}")[:24]
	if got := core.CohereCallID(0, "f", "{}"); got != "call_0f4ae429a67142b88187d5ee" {
		t.Errorf("core.CohereCallID(0,f,{}) = %s", got)
	}
}

// TestCohereToolCallRoundTrip: the ids a response gets resolve back to the
// right calls when the client sends the conversation back.
