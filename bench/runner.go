package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
)

// runner runs the scenarios of one benchmark run.
type runner struct {
	o    opts
	f    *fleet
	res  *Results
	bins struct{ gateway, sim, fn string }
	self string // this program, for the signature-timing child processes

	kept Noise // foreign load of the measurements kept by quietly in the current scenario

	plainSim *simProc // zero think time, shared by latency, throughput, embed and signing
	plainGw  *gwProc
}

func (r *runner) want(name string) bool {
	for _, s := range r.o.scenarios {
		if s == name {
			return true
		}
	}
	return false
}

func (r *runner) buildAll(ctx context.Context) error {
	progress("building gateway, simulator and function binaries")
	var err error
	if r.self, err = os.Executable(); err != nil {
		return err
	}
	if r.bins.gateway = r.o.gatewayBin; r.bins.gateway == "" {
		if r.bins.gateway, err = r.f.build(ctx, "ociai-proxy", "./localserver", nil); err != nil {
			return err
		}
	}
	if r.bins.sim, err = r.f.build(ctx, "ocisim", "./ocisim/cmd/ocisim", nil); err != nil {
		return err
	}
	r.bins.fn, err = r.f.build(ctx, "func", ".", nil)
	return err
}

// runScenarios runs each selected scenario, recording (not stopping at) failures.
func (r *runner) runScenarios(ctx context.Context) (failed bool) {
	sc := measureSignCost(r.o.signN)
	if m := r.merged(); m != nil {
		m.SignCost = &sc // the base run's figure stays the one its scenarios are judged by
	} else {
		r.res.SignCost = &sc
	}
	progress("RSA-2048 signature at start, idle machine: %.3f ms CPU (%.3f ms wall)", sc.CPUPerSigMs, sc.WallPerSigMs)
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"latency", r.latency},
		{"throughput", r.throughput},
		{"stream", r.stream},
		{"messages", r.messages},
		{"paced", r.paced},
		{"openstreams", r.openStreams},
		{"http2", r.http2},
		{"embed", r.embed},
		{"fnstart", r.startup},
		{"signing", r.signing},
		{"soak", r.soak},
		{"responses", r.responses},
		{"compare", r.compare},
		{"routing", r.routing},
	}
	for _, s := range steps {
		if !r.want(s.name) || ctx.Err() != nil {
			continue
		}
		progress("scenario %s", s.name)
		if r.o.waitQuiet > 0 {
			r.f.waitQuiet(ctx, r.o.waitQuiet)
		}
		acct := r.f.startAccount()
		r.kept = Noise{}
		err := s.run(ctx)
		n := r.f.noise(acct)
		if r.kept.Seconds > 0 { // the scenario measured in checked pieces: report those, not the waits between
			n = r.kept
		}
		r.res.Noise[s.name] = n
		if n.ForeignPct >= 5 {
			progress("  note: other processes used %.0f%% of the machine during %s", n.ForeignPct, s.name)
		}
		if err != nil {
			progress("scenario %s failed: %v", s.name, err)
			r.res.Errors[s.name] = err.Error()
			failed = true
		}
	}
	return failed
}

// plain returns the shared zero-think-time simulator and its gateway, starting them on first use.
func (r *runner) plain(ctx context.Context) (*simProc, *gwProc, error) {
	if r.plainGw != nil {
		return r.plainSim, r.plainGw, nil
	}
	s, err := r.f.startSim(ctx, r.bins.sim, 0)
	if err != nil {
		return nil, nil, err
	}
	g, err := r.f.startGateway(ctx, r.bins.gateway, s)
	if err != nil {
		return nil, nil, err
	}
	r.plainSim, r.plainGw = s, g
	return s, g, nil
}

// mergeInto starts from the results in -json (-merge): this run's scenarios replace theirs, the others stay, and
// the run is recorded beside the base run.
func (r *runner) mergeInto() error {
	b, err := os.ReadFile(r.o.json)
	if err != nil {
		return fmt.Errorf("-merge: %w", err)
	}
	this := r.res
	base := &Results{}
	if err := json.Unmarshal(b, base); err != nil {
		return fmt.Errorf("-merge: %s: %w", r.o.json, err)
	}
	if base.Errors == nil {
		base.Errors = map[string]string{}
	}
	if base.Noise == nil {
		base.Noise = map[string]Noise{}
	}
	for _, s := range r.o.scenarios {
		delete(base.Errors, s)
		// Scenarios that add one result per rate, API or count start again rather than add to the saved ones.
		switch s {
		case "latency":
			base.Latency = nil
		case "paced":
			base.Paced = nil
		case "openstreams":
			base.OpenStreams = nil
		case "responses":
			base.Responses = nil
		}
	}
	base.Merged = append(base.Merged, MergedRun{Scenarios: r.o.scenarios, Command: this.Command, Started: this.Started, GitCommit: this.Machine.GitCommit})
	r.res = base
	return nil
}

// merged is this run's record when it merges into earlier results (-merge), else nil.
func (r *runner) merged() *MergedRun {
	if !r.o.merge || len(r.res.Merged) == 0 {
		return nil
	}
	return &r.res.Merged[len(r.res.Merged)-1]
}

func numCPU() int { return runtime.NumCPU() }

func machine(root string, nofile uint64) Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version(), NoFile: nofile}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) == nil {
		m.MemGiB = int((uint64(si.Totalram)*uint64(si.Unit) + 1<<29) >> 30)
	}
	var u syscall.Utsname
	if syscall.Uname(&u) == nil {
		m.Kernel = cstr(u.Release[:])
	}
	if out, err := exec.Command("go", "version").Output(); err == nil {
		m.Go = strings.TrimSpace(string(out))
	}
	cmd := exec.Command("git", "rev-parse", "--short", "HEAD")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		m.GitCommit = strings.TrimSpace(string(out))
		st := exec.Command("git", "status", "--porcelain", "--untracked-files=no")
		st.Dir = root
		if o, _ := st.Output(); len(strings.TrimSpace(string(o))) > 0 {
			m.GitCommit += " (with uncommitted changes)"
		}
	}
	return m
}

func cstr(b []int8) string {
	var s []byte
	for _, c := range b {
		if c == 0 {
			break
		}
		s = append(s, byte(c))
	}
	return string(s)
}

func settings(o opts) map[string]string {
	return map[string]string{
		"duration":           o.duration.String(),
		"rates":              fmt.Sprint(o.rates),
		"concurrency":        fmt.Sprint(o.conc),
		"streams":            fmt.Sprint(o.streams),
		"stream_tokens":      fmt.Sprint(o.streamTokens),
		"token_delay":        o.tokenDelay.String(),
		"stream_concurrency": fmt.Sprint(o.streamConc),
		"stream_rounds":      fmt.Sprint(o.streamRounds),
		"open_tokens":        fmt.Sprint(o.openTokens),
		"open_token_delay":   o.openDelay.String(),
		"open_links":         fmt.Sprint(o.openLinks),
		"relay_hijack":       fmt.Sprint(o.relayHijack),
		"apis":               fmt.Sprint(o.apis),
		"open_system_kb":     fmt.Sprint(o.openSystemKB),
		"paced_streams":      fmt.Sprint(o.pacedStreams),
		"paced_tokens":       fmt.Sprint(o.pacedTokens),
		"paced_token_delay":  o.pacedDelay.String(),
		"paced_ramp":         o.pacedRamp.String(),
		"paced_rounds":       fmt.Sprint(o.pacedRounds),
		"open_ramp_per_s":    fmt.Sprint(o.openRamp),
		"fn_runs":            fmt.Sprint(o.fnRuns),
		"embed_inputs":       fmt.Sprint(o.embedInputs),
		"quick":              fmt.Sprint(o.quick),
		"gateway_binary":     o.gatewayBin, // "" when built from this tree
	}
}
