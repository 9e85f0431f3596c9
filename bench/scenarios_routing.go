package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// RoutingResult is the routing layer's Go benchmark (ocigenai's BenchmarkRouting): ns per call through a plain
// one-endpoint client and through routes of each strategy, network and signature stubbed.
type RoutingResult struct {
	Command string        `json:"command"`
	Count   int           `json:"count"`
	Cases   []RoutingCase `json:"cases"`
}

// RoutingCase is one sub-benchmark over Count runs.
type RoutingCase struct {
	Name        string    `json:"name"`
	NsPerOp     []float64 `json:"ns_per_op"` // one per run
	BytesPerOp  int       `json:"bytes_per_op"`
	AllocsPerOp int       `json:"allocs_per_op"`
}

// median of the runs' ns/op.
func (c RoutingCase) median() float64 {
	s := slices.Clone(c.NsPerOp)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// routed are the sub-benchmarks of a normal request through a route (not the baseline, the decision alone, the
// traced variant or the failover).
func (c RoutingCase) routed() bool {
	return c.Name != "client" && !strings.HasPrefix(c.Name, "decide-") && !strings.HasSuffix(c.Name, "-traced") && c.Name != "failover-after-429"
}

var benchLine = regexp.MustCompile(`^BenchmarkRouting/(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op\s+(\d+) B/op\s+(\d+) allocs/op`)

// routing runs the routing benchmark in a child `go test` (the code under test is internal to ocigenai).
func (r *runner) routing(ctx context.Context) error {
	count := 5
	if r.o.quick {
		count = 1
	}
	args := []string{"test", "-run", "^$", "-bench", "^BenchmarkRouting$", "-benchmem", "-count", strconv.Itoa(count), "./ocigenai/"}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = r.f.root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, firstLines(string(out), 6))
	}
	res := &RoutingResult{Command: "go " + strings.Join(args, " "), Count: count}
	byName := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		ns, _ := strconv.ParseFloat(m[2], 64)
		bytes, _ := strconv.Atoi(m[3])
		allocs, _ := strconv.Atoi(m[4])
		i, ok := byName[m[1]]
		if !ok {
			i = len(res.Cases)
			byName[m[1]] = i
			res.Cases = append(res.Cases, RoutingCase{Name: m[1]})
		}
		c := &res.Cases[i]
		c.NsPerOp, c.BytesPerOp, c.AllocsPerOp = append(c.NsPerOp, ns), bytes, allocs
	}
	if _, ok := byName["client"]; !ok {
		return fmt.Errorf("no BenchmarkRouting/client result in: %s", firstLines(string(out), 6))
	}
	r.res.Routing = res
	added, worst := res.added()
	progress("  routing adds %+.2f µs per request (worst case %s)", added/1000, worst)
	return nil
}

// added is the largest median difference between a routed request and the plain client, in ns.
func (res *RoutingResult) added() (ns float64, worst string) {
	var base float64
	for _, c := range res.Cases {
		if c.Name == "client" {
			base = c.median()
		}
	}
	ns = -1e18
	for _, c := range res.Cases {
		if c.routed() && c.median()-base > ns {
			ns, worst = c.median()-base, c.Name
		}
	}
	return ns, worst
}

func (r *runner) routingTarget() target {
	const name = "Routing across regions adds ≤ 20 µs per request (Go benchmark, network and signing stubbed)"
	res := r.res.Routing
	if res == nil || len(res.Cases) == 0 {
		return target{name: name, measured: "not measured"}
	}
	added, worst := res.added()
	return target{name: name, known: true, met: added <= 20_000,
		measured: fmt.Sprintf("%+.2f µs (worst strategy: %s, median of %d runs)", added/1000, worst, res.Count)}
}

func (r *runner) mdRouting(w *mdWriter) {
	res := r.res.Routing
	if res == nil {
		return
	}
	w.p("## 8. Routing across regions\n")
	w.p("What the region pool (`ocigenai.Route`: strategy order, cool-down checks, per-target counters, failover bookkeeping) adds to a request, from the Go benchmark `BenchmarkRouting` in [ocigenai/route_bench_test.go](ocigenai/route_bench_test.go), run as `%s`. Every case makes the same chat call with a stubbed transport (an immediate canned answer) and a no-op signer, since the network and the RSA signature cost the same with or without routing and would drown the difference: **client** is a plain one-endpoint client (no routing), the other cases go through a route of 1 or 3 targets. **Added** = case median − client median. *decide-* cases time the target order alone; *-traced* records every attempt's span with the OpenTelemetry SDK (no exporter I/O); *failover-after-429* makes two stubbed attempts, the first answered 429.\n", res.Command)
	base := 0.0
	for _, c := range res.Cases {
		if c.Name == "client" {
			base = c.median()
		}
	}
	w.head("Case", "µs/op median", "runs (µs)", "B/op", "allocs/op", "Added µs")
	for _, c := range res.Cases {
		runs := make([]string, len(c.NsPerOp))
		for i, ns := range c.NsPerOp {
			runs[i] = fmt.Sprintf("%.2f", ns/1000)
		}
		add := "—"
		if c.Name != "client" && !strings.HasPrefix(c.Name, "decide-") {
			add = fmt.Sprintf("%+.2f", (c.median()-base)/1000)
		}
		w.row(c.Name, fmt.Sprintf("%.3f", c.median()/1000), strings.Join(runs, ", "), c.BytesPerOp, c.AllocsPerOp, add)
	}
	w.p("")
}
