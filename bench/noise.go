package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The machine is shared: other sessions may build or test on it while the harness runs. A cpuAccount
// compares the machine's busy CPU time (/proc/stat) with what this harness and its children used, so the
// report can say how much foreign load each scenario had to share the cores with.
type cpuAccount struct {
	wall            time.Time
	machine, ownCPU time.Duration
}

// Noise is the CPU other processes used while a scenario measured.
type Noise struct {
	Seconds    float64 `json:"seconds"`
	OwnCPU     float64 `json:"harness_and_children_cpu_s"`
	ForeignCPU float64 `json:"foreign_cpu_s"`
	ForeignPct float64 `json:"foreign_pct_of_machine"`
	Redone     int     `json:"measurements_repeated,omitempty"` // disturbed attempts that were measured again
}

// add sums another measured period into n.
func (n *Noise) add(o Noise) {
	n.Seconds += o.Seconds
	n.OwnCPU += o.OwnCPU
	n.ForeignCPU += o.ForeignCPU
	n.ForeignPct = 100 * n.ForeignCPU / (n.Seconds * float64(numCPU()))
}

// machineBusy is the CPU time all cores spent outside idle and iowait since boot.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal …
	var busy int64
	for i, v := range f[1:] {
		if i == 3 || i == 4 || i >= 8 { // idle, iowait; guest time is already in user
			continue
		}
		n, _ := strconv.ParseInt(v, 10, 64)
		busy += n
	}
	return time.Duration(busy) * clockTick
}

// ownCPU is this process, its reaped children and its live children.
func (f *fleet) ownCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru)
	t := selfCPU() + time.Duration(ru.Utime.Nano()+ru.Stime.Nano())
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.kids {
		if d, err := procCPU(c.pid()); err == nil {
			t += d
		}
	}
	return t
}

func (f *fleet) startAccount() cpuAccount {
	return cpuAccount{wall: time.Now(), machine: machineBusy(), ownCPU: f.ownCPU()}
}

func (f *fleet) noise(a cpuAccount) Noise {
	wall := time.Since(a.wall)
	own := f.ownCPU() - a.ownCPU
	foreign := max(machineBusy()-a.machine-own, 0)
	capacity := wall.Seconds() * float64(numCPU())
	return Noise{Seconds: wall.Seconds(), OwnCPU: own.Seconds(), ForeignCPU: foreign.Seconds(), ForeignPct: 100 * foreign.Seconds() / capacity}
}

// waitQuiet waits, at most limit, until other processes leave the machine mostly idle (under 10 % of all cores
// over a second), so a scenario does not start in the middle of someone else's build or test run.
func (f *fleet) waitQuiet(ctx context.Context, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for told := false; ; {
		a := f.startAccount()
		if !sleepCtx(ctx, time.Second) {
			return
		}
		n := f.noise(a)
		if n.ForeignPct < 10 {
			return
		}
		if time.Now().After(deadline) {
			progress("  machine still busy (%.0f%% used by other processes); going ahead", n.ForeignPct)
			return
		}
		if !told {
			progress("  waiting for other processes to leave the machine (%.0f%% busy)", n.ForeignPct)
			told = true
		}
	}
}
