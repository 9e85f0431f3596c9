package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ociai/ociai-proxy/bodydeadline"
	"github.com/ociai/ociai-proxy/config"
	"github.com/ociai/ociai-proxy/gateway"
)

// serveGateway is the -serve-gateway child mode: the gateway as the server builds it (configuration from OCIAI_*
// variables, the body deadlines), or with -relay the relay floor, plus net/http/pprof on a separate loopback port.
func serveGateway(args []string) error {
	fs := flag.NewFlagSet("serve-gateway", flag.ContinueOnError)
	port := fs.Int("port", 0, "gateway port")
	pprofAddr := fs.String("pprof", "127.0.0.1:0", "pprof listen address")
	memRate := fs.Int("mem-rate", 0, "runtime.MemProfileRate (0: Go's default of one sample per 512 KiB)")
	relay := fs.Bool("relay", false, "serve the relay floor instead of the gateway")
	hijack := fs.Bool("hijack", false, "with -relay: write the streams on hijacked connections (see relayHijacked)")
	_ = fs.String("host", "", "ignored")
	_ = fs.String("config", "", "ignored")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *memRate > 0 {
		runtime.MemProfileRate = *memRate // before the gateway allocates anything worth profiling
	}
	log := gateway.NewLogger("warn")
	var h http.Handler
	if *relay {
		rh, err := relayFloorHandler(*hijack)
		if err != nil {
			return err
		}
		h = rh
	} else {
		res, err := config.Load("", os.Getenv)
		if err != nil {
			return err
		}
		log = gateway.NewLogger(res.Config.LogLevel)
		gw, err := gateway.New(res.Config, gateway.Options{Logger: log})
		if err != nil {
			return err
		}
		h = bodydeadline.Handler(gw.Handler, bodydeadline.Limits{Idle: res.Config.BodyIdleTimeout, Total: res.Config.BodyReadTimeout}) // as the server wraps it
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/memstats", func(w http.ResponseWriter, r *http.Request) {
		// ?gc=N collects N times first: each collection halves the goroutine stacks that use under a quarter of
		// theirs, so the figures after a few show what the stacks settle to.
		n, _ := strconv.Atoi(r.URL.Query().Get("gc"))
		for range n {
			runtime.GC()
		}
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		_ = json.NewEncoder(w).Encode(map[string]uint64{
			"heap_alloc": m.HeapAlloc, "heap_inuse": m.HeapInuse, "heap_idle": m.HeapIdle, "heap_released": m.HeapReleased,
			"stack_inuse": m.StackInuse, "sys": m.Sys, "next_gc": m.NextGC, "num_gc": uint64(m.NumGC), "goroutines": uint64(runtime.NumGoroutine()),
		})
	})
	go func() { _ = http.ListenAndServe(*pprofAddr, mux) }()
	srv := &http.Server{
		Addr:              net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)),
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return srv.ListenAndServe()
}

// profileLoad is one load the profiled gateway serves.
type profileLoad struct {
	name     string
	relay    bool          // profile the relay floor instead of the gateway
	delay    time.Duration // simulator token pace
	snapshot bool          // take heap and goroutine snapshots mid-run instead of CPU/alloc profiles
	drive    func(ctx context.Context, g *gwProc, d time.Duration) error
}

func loadErr(res runResult) error {
	if res.Errors > 0 {
		return fmt.Errorf("%d errors: %s", res.Errors, res.FirstErr)
	}
	return nil
}

// profileOne starts a simulator and a profiling gateway child, warms up, then drives the load while pprof
// records it.
func (r *runner) profileOne(ctx context.Context, self string, l profileLoad) error {
	o := r.o
	progress("profiling the gateway under the %s load", l.name)
	if o.waitQuiet > 0 {
		r.f.waitQuiet(ctx, o.waitQuiet)
	}
	s, err := r.f.startSimLink(ctx, r.bins.sim, l.delay, link(o.profileLink))
	if err != nil {
		return err
	}
	defer r.f.stop(s.proc, 2*time.Second)
	pp, err := freePort()
	if err != nil {
		return err
	}
	pprofURL := "http://127.0.0.1:" + strconv.Itoa(pp) + "/debug/pprof/"
	args := []string{"-serve-gateway", "-pprof", "127.0.0.1:" + strconv.Itoa(pp)}
	if l.relay {
		args = append(args, "-relay")
	}
	if l.snapshot {
		args = append(args, "-mem-rate", "1024") // fine-grained: the in-use heap is divided by the number of streams
	}
	g, err := r.f.startGateway(ctx, self, s, args...)
	if err != nil {
		return err
	}
	defer r.f.stop(g.proc, 2*time.Second)
	out := func(name string) string { return filepath.Join(o.profileDir, name) }
	if l.snapshot {
		var wg sync.WaitGroup
		var snapErr error
		wg.Go(func() {
			// Streams are all open after the 1 s ramp; snapshot early and late in their life.
			var prev time.Duration
			for _, at := range []time.Duration{4 * time.Second, 12 * time.Second} {
				if !sleepCtx(ctx, at-prev) {
					return
				}
				prev = at
				m, _ := procMem(g.proc.pid())
				progress("  snapshot at %v: RSS %.1f MB (peak %.1f MB), threads %d, fds %d", at, float64(m.RSSKB)/1024, float64(m.HWMKB)/1024, m.Threads, m.FDs)
				tag := fmt.Sprintf("%s-%ds", l.name, int(at.Seconds()))
				snapErr = errors.Join(snapErr,
					fetch(ctx, strings.TrimSuffix(pprofURL, "pprof/")+"memstats", out("memstats-"+tag+".json")),
					fetch(ctx, strings.TrimSuffix(pprofURL, "pprof/")+"memstats?gc=4", out("memstats-"+tag+"-settled.json")),
					fetch(ctx, pprofURL+"heap?gc=1", out("heap-"+tag+".pprof")),
					fetch(ctx, pprofURL+"goroutine?debug=1", out("goroutines-"+tag+".txt")))
				snapErr = errors.Join(snapErr, pprofTop(out("heap-"+tag+".pprof"), out("heap-"+tag+".txt"), "-sample_index=inuse_space"))
			}
		})
		err := l.drive(ctx, g, 0)
		wg.Wait()
		return errors.Join(err, snapErr)
	}
	warmCtx, cancel := context.WithTimeout(ctx, time.Second)
	_ = l.drive(warmCtx, g, time.Second)
	cancel()
	secs := strconv.Itoa(max(int(o.duration.Seconds())-1, 1))
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { errs[0] = fetch(ctx, pprofURL+"profile?seconds="+secs, out("cpu-"+l.name+".pprof")) })
	wg.Go(func() { errs[1] = fetch(ctx, pprofURL+"allocs?seconds="+secs, out("allocs-"+l.name+".pprof")) })
	cpu := startCPU(g.proc.pid())
	loadErr := l.drive(ctx, g, o.duration)
	progress("  gateway CPU %.2f s", cpu.used().Seconds())
	wg.Wait()
	if err := errors.Join(append(errs, loadErr)...); err != nil {
		return err
	}
	return errors.Join(
		pprofTop(out("cpu-"+l.name+".pprof"), out("cpu-"+l.name+".txt")),
		pprofTop(out("allocs-"+l.name+".pprof"), out("allocs-"+l.name+".txt"), "-sample_index=alloc_space"),
		pprofTop(out("allocs-"+l.name+".pprof"), out("allocs-objects-"+l.name+".txt"), "-sample_index=alloc_objects"))
}

// profile runs the throughput, stream, embeddings and open-streams loads against a -serve-gateway child and
// saves its CPU, allocation and heap profiles (pprof format) with text top lists into o.profileDir.
func profile(ctx context.Context, f *fleet, o opts, _ uint64) error {
	if err := os.MkdirAll(o.profileDir, 0o755); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	simBin, err := f.build(ctx, "ocisim", "./ocisim/cmd/ocisim", nil)
	if err != nil {
		return err
	}
	r := &runner{o: o, f: f, res: &Results{}}
	r.bins.sim = simBin
	embedInputs := make([]string, o.embedInputs)
	for i := range embedInputs {
		embedInputs[i] = fmt.Sprintf("Benchmark sentence number %d about oracle cloud generative ai embeddings", i)
	}
	openStreams := 1000
	loads := []profileLoad{
		{name: "throughput", drive: func(ctx context.Context, g *gwProc, d time.Duration) error {
			gw := newViaGateway(g.URL, o.conc)
			res := closedLoop(ctx, o.conc, d, func(ctx context.Context) error { return gw.chat(ctx, shortPrompt) })
			return loadErr(res)
		}},
		{name: "stream", delay: o.tokenDelay, drive: func(ctx context.Context, g *gwProc, d time.Duration) error {
			r.o.streamConc = 100 // enough chunks for a profile with a useful number of samples
			gw := newViaGateway(g.URL, r.o.streamConc)
			for end := time.Now().Add(d); time.Now().Before(end) && ctx.Err() == nil; {
				if _, err := r.streamRounds(ctx, []client{gw}); err != nil {
					return err
				}
			}
			return nil
		}},
		{name: "embed", drive: func(ctx context.Context, g *gwProc, d time.Duration) error {
			gw := newViaGateway(g.URL, o.embedConc)
			res := closedLoop(ctx, o.embedConc, d, func(ctx context.Context) error { return gw.embed(ctx, embedInputs) })
			return loadErr(res)
		}},
		// Open streams: a heap (in-use) and goroutine snapshot while all streams are open, through the gateway and
		// through the relay floor.
		{name: "openstreams", delay: 250 * time.Millisecond, snapshot: true, drive: func(ctx context.Context, g *gwProc, d time.Duration) error {
			vg := newViaGateway(g.URL, openStreams)
			vg.system = systemPrompt(o.openSystemKB)
			return hold(ctx, r, vg, openStreams)
		}},
		{name: "openstreams-relay", relay: true, delay: 250 * time.Millisecond, snapshot: true, drive: func(ctx context.Context, g *gwProc, d time.Duration) error {
			vg := newViaGateway(g.URL, openStreams)
			vg.system = systemPrompt(o.openSystemKB)
			return hold(ctx, r, viaRelay{vg}, openStreams)
		}},
	}
	for _, l := range loads {
		if !r.want(strings.TrimSuffix(l.name, "-relay")) { // -scenarios picks the loads too
			continue
		}
		if err := r.profileOne(ctx, self, l); err != nil {
			return fmt.Errorf("%s: %w", l.name, err)
		}
	}
	progress("profiles and top lists written to %s (go tool pprof -http=: FILE to browse)", o.profileDir)
	return nil
}

// hold holds n 60-token streams at 250 ms per token through c.
func hold(ctx context.Context, r *runner, c client, n int) error {
	r.o.openTokens, r.o.openRamp = 60, 1000
	side := r.holdStreams(ctx, c, n, prompt(r.o.openTokens))
	if side.Errors > 0 {
		return fmt.Errorf("open streams: %d errors: %s", side.Errors, side.FirstErr)
	}
	return nil
}

func fetch(ctx context.Context, url, path string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("%s: %d %s", url, res.StatusCode, b)
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close()
	_, err = io.Copy(out, res.Body)
	return err
}

// pprofTop writes flat and cumulative top lists of a profile to txt.
func pprofTop(prof, txt string, extra ...string) error {
	var b []byte
	for _, v := range [][]string{{"-top", "-nodecount=45"}, {"-top", "-cum", "-nodecount=45"}} {
		args := append(append(append([]string{"tool", "pprof"}, v...), extra...), prof)
		out, err := exec.Command("go", args...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("go %v: %v\n%s", args, err, out)
		}
		b = append(b, fmt.Sprintf("### go %s\n", strings.Join(args, " "))...)
		b = append(b, out...)
		b = append(b, '\n')
	}
	return os.WriteFile(txt, b, 0o644)
}
