package main

import (
	"context"
	"debug/elf"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

var boringEnv = []string{"CGO_ENABLED=1", "GOEXPERIMENT=boringcrypto"}

// signing compares gateway builds: pure Go (the default), GOEXPERIMENT=boringcrypto, and boringcrypto linked
// statically. The builds that run serve the throughput scenario's closed loop in alternating segments, each beside
// the floor built the same way (its agent is this program built with that crypto); the signature cost of each
// crypto is timed before and during each of its gateway segments (boringcrypto's by this program built with
// boringcrypto, in a child process).
func (r *runner) signing(ctx context.Context) error {
	s, _, err := r.plain(ctx)
	if err != nil {
		return err
	}
	gcc, _ := exec.Command("gcc", "--version").Output()
	res := &SigningResult{GCC: strings.SplitN(strings.TrimSpace(string(gcc)), "\n", 2)[0], Concurrency: r.o.conc, Seconds: r.o.duration.Seconds()}
	r.res.Signing = res
	if res.GCC == "" {
		res.GCC = "not installed"
	}
	progress("  building the boringcrypto variants")
	var boringSign *signTimer
	if bench, out, err := r.f.buildOut(ctx, "bench-boring", "./bench", boringEnv); err == nil {
		boringSign = &signTimer{bin: bench}
	} else {
		progress("  cannot build the harness with boringcrypto: %s", firstLines(out, 3))
	}
	variants := []struct {
		v     BuildVariant
		bin   string
		flags []string
		sign  *signTimer
	}{
		{BuildVariant{Name: "pure Go (default)", Command: "go build ./localserver", BuildOK: true}, r.bins.gateway, nil, &signTimer{bin: r.self}},
		{BuildVariant{Name: "boringcrypto", Command: "CGO_ENABLED=1 GOEXPERIMENT=boringcrypto go build ./localserver"}, "ociai-proxy-boring", nil, boringSign},
		{BuildVariant{Name: "boringcrypto, static", Command: "CGO_ENABLED=1 GOEXPERIMENT=boringcrypto go build -ldflags '-linkmode external -extldflags -static' ./localserver"},
			"ociai-proxy-boring-static", []string{"-ldflags", "-linkmode external -extldflags -static"}, boringSign},
	}
	var ways []way
	var idx []int // variant of each pair of ways (floor, gateway)
	for i := range variants {
		v := &variants[i]
		if i > 0 {
			bin, out, err := r.f.buildOut(ctx, v.bin, "./localserver", boringEnv, v.flags...)
			if err != nil {
				v.v.BuildError = strings.ReplaceAll(firstLines(out, 6), "`", "'")
				continue
			}
			v.v.BuildOK, v.bin = true, bin
			if w := firstLines(out, 4); w != "" {
				v.v.BuildError = "linker output: " + strings.ReplaceAll(w, "`", "'")
			}
		}
		v.v.BinaryMB, v.v.Verified = fileMB(v.bin), describeBinary(v.bin)
		g, err := r.f.startGateway(ctx, v.bin, s)
		if err != nil {
			v.v.BuildError = strings.TrimSpace(v.v.BuildError + " start: " + firstLines(err.Error(), 4))
			continue
		}
		defer r.f.stop(g.proc, 2*time.Second)
		if v.sign == nil {
			v.v.BuildError = strings.TrimSpace(v.v.BuildError + " no floor of this build: the harness does not build with it")
			continue
		}
		agent, err := r.startFloorAgent(v.sign.bin, s, r.o.conc)
		if err != nil {
			v.v.BuildError = strings.TrimSpace(v.v.BuildError + " floor: " + err.Error())
			continue
		}
		defer r.f.stop(agent.c, 2*time.Second)
		gw := newViaGateway(g.URL, r.o.conc)
		ways = append(ways, way{name: "floor, " + v.v.Name, remote: agent.closed(r.o.conc)},
			way{name: v.v.Name, fn: func(ctx context.Context) error { return gw.chat(ctx, shortPrompt) }, gw: g, sign: v.sign})
		idx = append(idx, i)
	}
	tot := r.alternate(ctx, ways, s, r.o.duration, segments, func(ctx context.Context, fn call, d time.Duration) runResult {
		return closedLoop(ctx, r.o.conc, d, fn)
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	for j, i := range idx {
		v := &variants[i].v
		floor, side := tot[2*j].side(), tot[2*j+1].side()
		v.Floor, v.Gateway, v.Runs = &floor, &side, side.Errors == 0 && side.Requests > 0 && floor.Errors == 0
		if floor.ClientCPUMs > 0 {
			v.RatioFloor = side.GatewayCPUMs / floor.ClientCPUMs
		}
		if len(tot[2*j+1].signLoad) > 0 {
			idle, load := meanSign(tot[2*j+1].signIdle), meanSign(tot[2*j+1].signLoad)
			v.SignIdle, v.SignLoad = &idle, &load
			v.Ratio = side.GatewayCPUMs / load.CPUPerSigMs
		}
		progress("  %-22s floor %.3f ms CPU/req; gateway %.0f req/s, %.3f ms CPU/req = %.2f x floor, %.2f x signature (%s)",
			v.Name, floor.ClientCPUMs, side.RPS, side.GatewayCPUMs, v.RatioFloor, v.Ratio, v.Verified)
	}
	for _, v := range variants {
		res.Variants = append(res.Variants, v.v)
	}
	for _, v := range res.Variants {
		if !v.BuildOK || !v.Runs {
			return fmt.Errorf("%s: build ok %v, runs %v: %s", v.Name, v.BuildOK, v.Runs, v.BuildError)
		}
	}
	return nil
}

// describeBinary says how the binary was built: crypto, cgo, and static or dynamic linking.
func describeBinary(bin string) string {
	var parts []string
	if out, err := exec.Command("go", "version", "-m", bin).Output(); err == nil {
		for _, l := range strings.Split(string(out), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "build" && (strings.HasPrefix(f[1], "GOEXPERIMENT=") || strings.HasPrefix(f[1], "CGO_ENABLED=")) {
				parts = append(parts, f[1])
			}
		}
	}
	if out, err := exec.Command("go", "tool", "nm", bin).Output(); err == nil {
		parts = append(parts, fmt.Sprintf("%d _goboringcrypto_ symbols", strings.Count(string(out), "_goboringcrypto_")))
	}
	if f, err := elf.Open(bin); err == nil {
		linked := "statically linked"
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				linked = "dynamically linked"
			}
		}
		f.Close()
		parts = append(parts, linked)
	}
	return strings.Join(parts, ", ")
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " / ")
}
