package ocisim

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// toolCall is a format-neutral tool call; Arguments is compact JSON.
type toolCall struct {
	ID, Name, Arguments string
}

// toolCallID is "call_" + 8 hex digits derived from the name and position.
func toolCallID(name string, index int) string {
	h := fnv.New32a()
	h.Write([]byte(name + "#" + strconv.Itoa(index)))
	return fmt.Sprintf("call_%08x", h.Sum32())
}

// mentioned returns the indexes of names occurring in text as whole words
// (case-insensitive), ordered by first occurrence in text.
func mentioned(text string, names []string) []int {
	type hit struct{ at, idx int }
	var hits []hit
	lower := strings.ToLower(text)
	for i, n := range names {
		if at := wordIndex(lower, strings.ToLower(n)); at >= 0 {
			hits = append(hits, hit{at, i})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].at < hits[b].at })
	out := make([]int, len(hits))
	for i, h := range hits {
		out[i] = h.idx
	}
	return out
}

// wordIndex finds word in s where it is not glued to other identifier
// characters.
func wordIndex(s, word string) int {
	if word == "" {
		return -1
	}
	isID := func(b byte) bool {
		return b == '_' || b == '-' || b >= 0x80 || unicode.IsLetter(rune(b)) || unicode.IsDigit(rune(b))
	}
	for off := 0; ; {
		i := strings.Index(s[off:], word)
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(word)
		if (i == 0 || !isID(s[i-1])) && (end == len(s) || !isID(s[end])) {
			return i
		}
		off = i + 1
	}
}

// explicitArgs returns the JSON object written right after the tool's name
// in the prompt ("run Bash {\"command\":\"pwd\"}"), compacted with sorted keys:
// the way a test spells out exact arguments.
func explicitArgs(prompt, name string) (json.RawMessage, bool) {
	lower := strings.ToLower(prompt)
	at := wordIndex(lower, strings.ToLower(name))
	if at < 0 || len(lower) != len(prompt) { // ToLower changed byte offsets: no reliable position
		return nil, false
	}
	rest := strings.TrimLeft(prompt[at+len(name):], " \t\r\n")
	if !strings.HasPrefix(rest, "{") {
		return nil, false
	}
	var obj map[string]any
	dec := json.NewDecoder(strings.NewReader(rest))
	dec.UseNumber()
	if dec.Decode(&obj) != nil {
		return nil, false
	}
	return marshal(obj), true
}

// argsFromSchema builds the deterministic arguments for a JSON-schema tool:
// the object written after its name in the prompt (explicitArgs), else every
// required property (all properties when none is required) gets a value by
// type. Keys come out sorted.
func argsFromSchema(name string, schema json.RawMessage, prompt string) string {
	if args, ok := explicitArgs(prompt, name); ok {
		return string(args)
	}
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Required   []string                   `json:"required"`
	}
	_ = json.Unmarshal(schema, &s) // a schema the simulator cannot read yields {}
	keys := s.Required
	if len(keys) == 0 {
		for k := range s.Properties {
			keys = append(keys, k)
		}
	}
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		var p struct {
			Type json.RawMessage `json:"type"`
			Enum []any           `json:"enum"`
		}
		_ = json.Unmarshal(s.Properties[k], &p)
		out[k] = valueFor(schemaType(p.Type), p.Enum, prompt)
	}
	return string(marshal(out))
}

// schemaType reads "type" given as a string or as ["string","null"].
func schemaType(raw json.RawMessage) string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	for _, t := range many {
		if t != "null" {
			return t
		}
	}
	return ""
}

// valueFor is the value rule shared by JSON-schema and Cohere types.
func valueFor(typ string, enum []any, prompt string) any {
	switch typ {
	case "string", "str":
		if len(enum) > 0 {
			return enum[0]
		}
		return wordAfterFor(prompt)
	case "number", "integer", "int", "float":
		return 1
	case "boolean", "bool":
		return true
	case "array", "list":
		return []any{}
	case "object", "dict":
		return map[string]any{}
	}
	return nil
}

// cohereType maps Cohere's Python type names (str, int, List[str],
// Dict[str, Any] ...) to the base names valueFor knows.
func cohereType(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	switch {
	case strings.HasPrefix(t, "list"):
		return "list"
	case strings.HasPrefix(t, "dict"):
		return "dict"
	}
	return t
}
