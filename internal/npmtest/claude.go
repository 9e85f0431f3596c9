package npmtest

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

//go:embed claudecode/package.json claudecode/package-lock.json
var claudeCode embed.FS

// ClaudeCode installs the pinned Claude Code and returns the path of its native binary. npm's install scripts
// are not run: the binary comes in the platform package npm picks, and Node.js itself is not needed.
func ClaudeCode(t testing.TB) string {
	t.Helper()
	NPM(t)
	manifest, _ := claudeCode.ReadFile("claudecode/package.json")
	lock, _ := claudeCode.ReadFile("claudecode/package-lock.json")
	dir := Install(t, "claudecode", manifest, lock, "--ignore-scripts")
	bins, _ := filepath.Glob(filepath.Join(dir, "node_modules", "@anthropic-ai", "claude-code-*", "claude"))
	if len(bins) == 0 {
		t.Skipf("Claude Code has no native binary for %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	return bins[0]
}

// Claude is a Claude Code set up to talk to a gateway: BaseURL is what ANTHROPIC_BASE_URL gets, Env the other
// variables (a key, models), Dir the working directory and home.
type Claude struct {
	Bin, BaseURL, Dir string
	Env               []string
}

// ClaudeResult is what `claude -p --output-format json` prints.
type ClaudeResult struct {
	Type              string            `json:"type"`
	Subtype           string            `json:"subtype"`
	IsError           bool              `json:"is_error"`
	Result            string            `json:"result"`
	NumTurns          int               `json:"num_turns"`
	StopReason        string            `json:"stop_reason"`
	PermissionDenials []json.RawMessage `json:"permission_denials"`
}

// Run runs Claude Code non-interactively (-p) with prompt and args, in a clean environment: its own home
// (no login, settings or history of the user), no telemetry, error reports, auto-update or other
// non-essential traffic.
func (c *Claude) Run(t testing.TB, prompt string, args ...string) ClaudeResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Bin, append([]string{"-p", prompt, "--output-format", "json"}, args...)...)
	cmd.Dir = c.Dir
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + c.Dir, "TERM=dumb", "NO_COLOR=1",
		"ANTHROPIC_BASE_URL=" + c.BaseURL,
		"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_AUTOUPDATER=1", "DISABLE_TELEMETRY=1", "DISABLE_ERROR_REPORTING=1",
	}, c.Env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var res ClaudeResult
	if jerr := json.Unmarshal(stdout.Bytes(), &res); err != nil || jerr != nil {
		t.Fatalf("claude -p %q: %v %v\nstdout:\n%s\nstderr:\n%s", prompt, err, jerr, stdout.Bytes(), stderr.Bytes())
	}
	if res.IsError || res.Subtype != "success" {
		t.Fatalf("claude -p %q failed: %s\nstderr:\n%s", prompt, stdout.Bytes(), stderr.Bytes())
	}
	return res
}

// PromptAndTool has Claude Code answer a prompt, then make a tool round trip: the simulator (serving model id)
// calls Bash with pwd, Claude Code runs it in Dir and sends the output back, and the simulator reports it.
func (c *Claude) PromptAndTool(t testing.TB, modelID string) {
	t.Helper()
	if res := c.Run(t, "Hello gateway"); !strings.HasPrefix(res.Result, "Hello from "+modelID+"! You said: ") || !strings.HasSuffix(res.Result, "Hello gateway") {
		t.Errorf("prompt: %+v", res)
	}
	res := c.Run(t, `Run Bash {"command":"pwd"}`, "--allowedTools", "Bash(pwd)")
	if !ToolReturned(res.Result, c.Dir) || res.NumTurns != 2 || len(res.PermissionDenials) != 0 {
		t.Errorf("tool round trip: %+v", res)
	}
}

// ToolReturned reports whether result is the simulator's answer to a tool result that is dir (what `pwd`
// printed there): "The tool <call id> returned: <dir>".
func ToolReturned(result, dir string) bool {
	rest, ok := strings.CutPrefix(result, "The tool ")
	if !ok {
		return false
	}
	_, out, ok := strings.Cut(rest, " returned: ")
	out = strings.TrimSpace(out)
	real, _ := filepath.EvalSymlinks(dir)
	return ok && (out == dir || out == real)
}
