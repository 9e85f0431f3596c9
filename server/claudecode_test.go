package server

import (
	"strings"
	"testing"

	"github.com/ociai/ociai-proxy/internal/npmtest"
)

// TestClaudeCode runs Claude Code itself (claude -p, pinned in internal/npmtest) against the built binary started
// with -simulate, exactly as the README tells users to: a prompt, then a tool round trip (the simulator calls
// Bash with pwd, Claude Code runs it here and sends the result back). Every answer must come as the stream
// Claude Code asked for: it silently retries a broken stream without streaming, which would hide stream bugs.
func TestClaudeCode(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not running Claude Code")
	}
	bin := npmtest.ClaudeCode(t)
	s := start(t, t.TempDir(), nil, "-simulate")
	cc := &npmtest.Claude{Bin: bin, BaseURL: s.url, Dir: t.TempDir(),
		Env: []string{"ANTHROPIC_API_KEY=" + simulatorKey, "ANTHROPIC_MODEL=grok-4", "ANTHROPIC_DEFAULT_HAIKU_MODEL=grok-3-mini"}}
	cc.PromptAndTool(t, "xai.grok-4")
	calls := 0
	for _, line := range strings.Split(s.output(), "\n") {
		if strings.Contains(line, "msg=request") && strings.Contains(line, "path=/v1/messages ") {
			calls++
			if !strings.Contains(line, "status=200") || !strings.Contains(line, "stream=true") {
				t.Errorf("not a successful stream: %s", line)
			}
		}
	}
	if calls < 3 {
		t.Errorf("%d Messages calls logged, want the prompt's and the tool round trip's\n%s", calls, s.output())
	}
}
