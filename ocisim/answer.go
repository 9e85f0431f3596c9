package ocisim

import (
	"strconv"
	"strings"
	"unicode"
)

// finish is the format-neutral reason a generation ended.
type finish int

const (
	finishComplete finish = iota
	finishStopSequence
	finishMaxTokens
	finishToolCalls
)

// generation is the deterministic output for one request, before it is
// shaped into a wire format.
type generation struct {
	text      string   // visible answer after stop/max-token cuts
	tokens    []string // text split into tokens (concatenation == text)
	reasoning []string // reasoning tokens ("Thinking about: ...")
	toolCalls []toolCall
	finish    finish
	prompt    int // prompt tokens
}

// completionTokens counts answer + reasoning tokens (tool calls count the
// tokens of their names and arguments).
func (g *generation) completionTokens() int {
	n := len(g.tokens) + len(g.reasoning)
	for _, c := range g.toolCalls {
		n += len(tokenize(c.Name)) + len(tokenize(c.Arguments))
	}
	return n
}

func greeting(modelID, said string) string {
	return "Hello from " + modelID + "! You said: " + said
}

func imageSuffix(n int) string {
	if n == 0 {
		return ""
	}
	return " [" + strconv.Itoa(n) + " image(s)]"
}

// jsonAnswer wraps the text answer for JSON response formats.
func jsonAnswer(text string) string {
	return string(marshal(map[string]string{"answer": text}))
}

// shape applies stop sequences then the token limit to answer.
func shape(answer string, stops []string, maxTokens *int) (text string, tokens []string, f finish) {
	cut := -1
	for _, s := range stops {
		if s == "" {
			continue
		}
		if i := strings.Index(answer, s); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut >= 0 {
		answer, f = answer[:cut], finishStopSequence
	}
	tokens = tokenize(answer)
	if maxTokens != nil && *maxTokens < len(tokens) {
		tokens, f = tokens[:*maxTokens], finishMaxTokens
		answer = strings.Join(tokens, "")
	}
	return answer, tokens, f
}

// tokenize splits s into words, each keeping the whitespace that follows it
// ("Hello from x" → "Hello ", "from ", "x"); leading whitespace joins the
// first token. The concatenation of the tokens is s.
func tokenize(s string) []string {
	var out []string
	start, inSpace := 0, false
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if !sp && inSpace && i > start && strings.TrimSpace(s[start:i]) != "" {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// words counts whitespace-separated words.
func words(s string) int { return len(strings.Fields(s)) }

// imageTokens is what one image adds to the prompt token count.
const imageTokens = 85

// wordAfterFor returns what follows the word "for" in s: the text between backticks when a backtick-quoted span
// comes next (so a prompt can carry a whole multi-line argument, such as a patch), else the next word
// (punctuation trimmed), or "example".
func wordAfterFor(s string) string {
	if quoted, ok := quotedAfterFor(s); ok {
		return quoted
	}
	f := strings.Fields(s)
	for i := 0; i+1 < len(f); i++ {
		if strings.EqualFold(trimPunct(f[i]), "for") {
			if w := trimPunct(f[i+1]); w != "" {
				return w
			}
		}
	}
	return "example"
}

// quotedAfterFor finds the first whole word "for" followed, after white space, by a `backtick-quoted` span.
func quotedAfterFor(s string) (string, bool) {
	isWord := func(i int) bool {
		return i >= 0 && i < len(s) && (unicode.IsLetter(rune(s[i])) || unicode.IsDigit(rune(s[i])))
	}
	for i := 0; i+3 <= len(s); i++ {
		if !strings.EqualFold(s[i:i+3], "for") || isWord(i-1) || isWord(i+3) {
			continue
		}
		rest := strings.TrimLeft(s[i+3:], " \t\r\n")
		if body, ok := strings.CutPrefix(rest, "`"); ok {
			if end := strings.IndexByte(body, '`'); end >= 0 {
				return body[:end], true
			}
		}
		return "", false
	}
	return "", false
}

func trimPunct(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// splitPieces cuts s (a tool-call argument string) into at most n non-empty
// pieces on rune boundaries.
func splitPieces(s string, n int) []string {
	r := []rune(s)
	if len(r) < n {
		n = len(r)
	}
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, string(r[i*len(r)/n:(i+1)*len(r)/n]))
	}
	return out
}
