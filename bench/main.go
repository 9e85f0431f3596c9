// Command bench measures the gateway against the OCI simulator: every scenario sends the same requests
// through the gateway and, for comparison, with the floor client (the least any OCI caller can do) and often
// directly with the OCI Go SDK, and reports the differences.
//
//	go run ./bench [-quick] [-scenarios latency,throughput,stream,messages,paced,openstreams,http2,embed,fnstart,signing,soak,responses,routing]
//	go run ./bench -profile bench/profiles   # CPU and allocation profiles of an in-process gateway
//	go run ./bench -scenarios compare -compare old,new   # CPU per request of two gateway builds, in turn
//
// Simulator, gateway and function run as separate processes on loopback; the bench process drives them.
// See BENCHMARKS.md for the method and the latest results.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// opts are the command-line settings.
type opts struct {
	scenarios    []string
	duration     time.Duration
	rates        []int
	conc         int
	streams      []int
	openLinks    []string
	apis         []string
	compare      []string // gateway binaries for the compare scenario
	gatewayBin   string   // a prebuilt gateway to measure instead of building ./localserver (another commit's, say)
	out, json    string
	png          string
	quick        bool
	streamTokens int
	tokenDelay   time.Duration
	streamConc   int
	streamRounds int
	openTokens   int
	openSystemKB int
	pacedStreams int
	pacedTokens  int
	pacedDelay   time.Duration
	pacedRamp    time.Duration
	pacedRounds  int
	openDelay    time.Duration
	goMemLimit   string // GOMEMLIMIT of the gateway in the open-streams scenario ("" = none)
	relayHijack  bool   // the relay floor relays on hijacked connections (an experiment)
	soakDuration time.Duration
	soakRate     int
	soakDrop     float64
	soak429      float64
	openRamp     int
	fnRuns       int
	embedInputs  int
	embedConc    int
	signN        int
	profileDir   string
	profileLink  string // how the profiled gateway reaches the simulator (http, tls-h1, tls-h2)
	renderFrom   string // -render: the results file the report is re-rendered from
	merge        bool   // -merge: keep the other scenarios' results from -json
	waitQuiet    time.Duration
}

const allScenarios = "latency,throughput,stream,messages,paced,openstreams,http2,embed,fnstart,signing,soak,responses,routing"

func main() {
	// Child modes: the profiling gateway server and the signature timer of another build.
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "-serve-gateway":
			exitIf(serveGateway(os.Args[2:]))
			return
		case "-echo":
			exitIf(echoChild())
			return
		case "-sign-cost", "-sign-during":
			exitIf(signChild(os.Args[1], os.Args[2]))
			return
		case "-floor-agent":
			exitIf(floorAgentChild(os.Args[2]))
			return
		}
	}
	o := parseFlags()
	if o.renderFrom != "" {
		exitIf(render(o))
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	exitIf(run(ctx, o))
}

func exitIf(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags() opts {
	var o opts
	var scen, rates, streams, openLinks, apis, compare string
	flag.StringVar(&scen, "scenarios", allScenarios, "comma list of scenarios to run")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "measured time per load run (latency, throughput, embed)")
	flag.StringVar(&rates, "rates", "100,300,500", "open-loop arrival rates (req/s) for the latency scenario; the target is judged at 300")
	flag.IntVar(&o.conc, "concurrency", 32, "closed-loop concurrency (throughput, embed, signing)")
	flag.StringVar(&streams, "streams", "1000,5000", "concurrent slow streams for the openstreams scenario")
	flag.StringVar(&o.gatewayBin, "gateway", "", "measure this gateway binary instead of building ./localserver (e.g. another commit's, for a before/after)")
	flag.StringVar(&compare, "compare", "", "gateway binaries (comma list) for -scenarios compare: the throughput loop through each in turn, beside the floor")
	flag.StringVar(&apis, "apis", "chat,messages,responses", "client APIs of the openstreams and paced scenarios: chat, messages, responses (comma list)")
	flag.StringVar(&openLinks, "open-links", "http", "how the gateway reaches the simulator in the openstreams scenario: http, tls-h1, tls-h2 (comma list)")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "Markdown report")
	flag.StringVar(&o.json, "json", "bench/results.json", "raw results")
	flag.StringVar(&o.png, "png", "bench/latency.png", "latency chart")
	flag.BoolVar(&o.quick, "quick", false, "~30 s smoke run: short runs, small counts, no boringcrypto build")
	flag.IntVar(&o.streamTokens, "stream-tokens", 300, "answer tokens in the stream scenario")
	flag.DurationVar(&o.tokenDelay, "token-delay", 10*time.Millisecond, "simulator pause between events in the stream scenario")
	flag.IntVar(&o.streamConc, "stream-concurrency", 20, "concurrent streams per round in the stream scenario")
	flag.IntVar(&o.streamRounds, "stream-rounds", 3, "rounds per way in the stream and messages scenarios (ways alternate)")
	flag.IntVar(&o.openTokens, "open-tokens", 80, "answer tokens of each open stream")
	flag.IntVar(&o.openSystemKB, "open-system-kb", 0, "a system message of this many KB with every open stream (an agent's context)")
	flag.IntVar(&o.pacedStreams, "paced-streams", 500, "concurrent streams in the paced scenario")
	flag.IntVar(&o.pacedTokens, "paced-tokens", 100, "answer tokens of each paced stream")
	flag.DurationVar(&o.pacedDelay, "paced-token-delay", 40*time.Millisecond, "simulator pause between events in the paced scenario")
	flag.DurationVar(&o.pacedRamp, "paced-ramp", time.Second, "the paced streams start evenly over this time")
	flag.IntVar(&o.pacedRounds, "paced-rounds", 2, "rounds per way in the paced scenario (ways alternate)")
	flag.DurationVar(&o.openDelay, "open-token-delay", 250*time.Millisecond, "simulator pause between events for open streams")
	flag.DurationVar(&o.soakDuration, "soak-duration", 60*time.Second, "soak: how long to send")
	flag.IntVar(&o.soakRate, "soak-rate", 40, "soak: requests per second (half of them streams)")
	flag.Float64Var(&o.soakDrop, "soak-disconnect", 0.1, "soak: share of requests whose client hangs up mid-stream")
	flag.Float64Var(&o.soak429, "soak-429", 0.05, "soak: share of requests before which OCI is told to answer 429 once")
	flag.BoolVar(&o.relayHijack, "relay-hijack", false, "openstreams: the relay floor writes its streams on hijacked connections (what leaving net/http's server would save; an experiment, not the floor the targets are judged on)")
	flag.StringVar(&o.goMemLimit, "open-gomemlimit", "", "GOMEMLIMIT of the gateway holding open streams (none by default: the memory target is judged without one)")
	flag.IntVar(&o.openRamp, "open-ramp", 1000, "open streams started per second")
	flag.IntVar(&o.fnRuns, "fn-runs", 20, "start-ups measured per binary")
	flag.IntVar(&o.embedInputs, "embed-inputs", 96, "inputs per embeddings request")
	flag.IntVar(&o.embedConc, "embed-concurrency", 8, "closed-loop concurrency of the embed scenario")
	flag.IntVar(&o.signN, "sign-n", 500, "signatures timed for the in-run signature cost")
	flag.StringVar(&o.profileDir, "profile", "", "instead of benchmarking, write CPU/alloc profiles of an in-process gateway to this directory")
	flag.StringVar(&o.profileLink, "profile-link", "http", "with -profile: how the gateway reaches the simulator: http, tls-h1 or tls-h2")
	flag.DurationVar(&o.waitQuiet, "wait-quiet", 2*time.Minute, "before each measurement, wait up to this long for other processes to leave the machine idle (0: don't)")
	render := flag.Bool("render", false, "instead of benchmarking, re-render -out and -png from the -json results")
	flag.BoolVar(&o.merge, "merge", false, "measure only -scenarios and keep every other scenario's results from -json (the report names both runs)")
	flag.Parse()
	if *render {
		o.renderFrom = o.json
	}
	o.scenarios = splitList(scen)
	o.rates = ints(rates)
	o.streams = ints(streams)
	o.openLinks = splitList(openLinks)
	o.apis = splitList(apis)
	o.compare = splitList(compare)
	if o.quick {
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		quick := func(name string, apply func()) {
			if !set[name] {
				apply()
			}
		}
		quick("duration", func() { o.duration = 2 * time.Second })
		quick("rates", func() { o.rates = []int{100} })
		quick("streams", func() { o.streams = []int{200} })
		quick("stream-tokens", func() { o.streamTokens = 100 })
		quick("stream-rounds", func() { o.streamRounds = 1 })
		quick("open-tokens", func() { o.openTokens = 12 })
		quick("fn-runs", func() { o.fnRuns = 5 })
		quick("sign-n", func() { o.signN = 100 })
		quick("paced-streams", func() { o.pacedStreams = 100 })
		quick("paced-rounds", func() { o.pacedRounds = 1 })
		quick("scenarios", func() {
			o.scenarios = splitList("latency,throughput,stream,messages,paced,openstreams,embed,fnstart,soak,routing")
		})
		quick("soak-duration", func() { o.soakDuration = 10 * time.Second })
	}
	return o
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func ints(s string) []int {
	var out []int
	for _, x := range splitList(s) {
		n, err := strconv.Atoi(x)
		exitIf(err)
		out = append(out, n)
	}
	return out
}

// repoRoot finds the module root from the working directory up.
func repoRoot() (string, error) {
	dir, _ := os.Getwd()
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/ociai/ociai-proxy\n") {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("run from inside the ociai-proxy module")
		}
		dir = up
	}
}

// progress prints a timestamped line to stderr.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func run(ctx context.Context, o opts) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "ociai-bench-")
	if err != nil {
		return err
	}
	f := &fleet{root: root, tmp: tmp, kids: map[*child]bool{}}
	defer f.stopAll()
	// A second ctrl-C while cleaning up still kills the children.
	go func() {
		<-ctx.Done()
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		f.stopAll()
		os.Exit(130)
	}()
	nofile := raiseNoFile()
	if o.profileDir != "" {
		err := profile(ctx, f, o, nofile)
		f.stopAll()
		if err == nil {
			_ = os.RemoveAll(tmp)
		}
		return err
	}
	r := &runner{o: o, f: f, res: &Results{
		Started:  time.Now(),
		Command:  strings.TrimSpace("go run ./bench " + strings.Join(os.Args[1:], " ")),
		Machine:  machine(root, nofile),
		Settings: settings(o),
		Errors:   map[string]string{},
		Noise:    map[string]Noise{},
	}}
	if o.merge {
		if err := r.mergeInto(); err != nil {
			return err
		}
	}
	if err := r.buildAll(ctx); err != nil {
		return err
	}
	failed := r.runScenarios(ctx)
	f.stopAll()
	if ctx.Err() != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("interrupted: no report written")
	}
	if m := r.merged(); m != nil {
		m.WallSeconds = time.Since(m.Started).Seconds()
	} else {
		r.res.WallSeconds = time.Since(r.res.Started).Seconds()
	}
	if err := r.write(root); err != nil {
		return err
	}
	if failed && ctx.Err() == nil {
		progress("some scenarios failed; logs kept in %s", tmp)
		return fmt.Errorf("scenario errors: %v", r.res.Errors)
	}
	_ = os.RemoveAll(tmp)
	return nil
}
