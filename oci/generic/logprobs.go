package generic

import (
	"sort"

	"github.com/ociai/ociai-proxy/hub"
)

// hubLogprobs converts OCI's completions-style logprobs (parallel arrays plus one token→logprob map per position)
// to chat-completions logprobs; nil when there are no tokens.
func hubLogprobs(lp *Logprobs) *hub.ChoiceLogprobs {
	if lp == nil || len(lp.Tokens) == 0 {
		return nil
	}
	out := &hub.ChoiceLogprobs{Content: make([]hub.TokenLogprob, len(lp.Tokens))}
	for i, tok := range lp.Tokens {
		t := &out.Content[i]
		t.Token, t.Bytes = tok, tokenBytes(tok)
		if i < len(lp.TokenLogprobs) {
			t.Logprob = lp.TokenLogprobs[i]
		}
		t.TopLogprobs = []hub.TopLogprob{}
		if i < len(lp.TopLogprobs) && len(lp.TopLogprobs[i]) > 0 {
			m := lp.TopLogprobs[i]
			t.TopLogprobs = make([]hub.TopLogprob, 0, len(m))
			for alt, v := range m {
				t.TopLogprobs = append(t.TopLogprobs, hub.TopLogprob{Token: alt, Logprob: float64(v), Bytes: tokenBytes(alt)})
			}
			// map order is random; OpenAI lists the most likely first
			sort.Slice(t.TopLogprobs, func(a, b int) bool {
				x, y := t.TopLogprobs[a], t.TopLogprobs[b]
				if x.Logprob != y.Logprob {
					return x.Logprob > y.Logprob
				}
				return x.Token < y.Token
			})
		}
	}
	return out
}

func tokenBytes(s string) []int {
	b := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		b[i] = int(s[i])
	}
	return b
}
