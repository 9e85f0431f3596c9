package main

import (
	"context"
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
	if r.bins.gateway, err = r.f.build(ctx, "ociai-proxy", "./localserver", nil); err != nil {
		return err
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
	r.res.SignCost = &sc
	progress("RSA-2048 signature at start, idle machine: %.3f ms CPU (%.3f ms wall)", sc.CPUPerSigMs, sc.WallPerSigMs)
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"latency", r.latency},
		{"throughput", r.throughput},
		{"stream", r.stream},
		{"openstreams", r.openStreams},
		{"embed", r.embed},
		{"fnstart", r.startup},
		{"signing", r.signing},
		{"soak", r.soak},
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
		"open_ramp_per_s":    fmt.Sprint(o.openRamp),
		"fn_runs":            fmt.Sprint(o.fnRuns),
		"embed_inputs":       fmt.Sprint(o.embedInputs),
		"quick":              fmt.Sprint(o.quick),
	}
}
