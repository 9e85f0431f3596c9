package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// clockTick is USER_HZ, the unit of utime/stime in /proc/<pid>/stat (100 on every Linux this runs on).
const clockTick = time.Second / 100

// parseStat returns utime and stime (clock ticks) from a /proc/<pid>/stat line.
func parseStat(line string) (utime, stime int64, err error) {
	i := strings.LastIndexByte(line, ')') // comm may hold spaces and parentheses
	if i < 0 {
		return 0, 0, fmt.Errorf("bad stat line %q", line)
	}
	f := strings.Fields(line[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, 0, fmt.Errorf("short stat line %q", line)
	}
	if utime, err = strconv.ParseInt(f[11], 10, 64); err != nil {
		return 0, 0, err
	}
	stime, err = strconv.ParseInt(f[12], 10, 64)
	return utime, stime, err
}

// procCPU is the user+system CPU time a process has used so far.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	u, s, err := parseStat(string(b))
	return time.Duration(u+s) * clockTick, err
}

// selfCPU is this process's user+system CPU time (getrusage, microsecond resolution).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// memInfo is what /proc/<pid>/status and /proc/<pid>/fd say about a process.
type memInfo struct {
	RSSKB, HWMKB int64
	Threads, FDs int
}

func procMem(pid int) (memInfo, error) {
	var m memInfo
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return m, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			m.RSSKB = n
		case "VmHWM":
			m.HWMKB = n
		case "Threads":
			m.Threads = int(n)
		}
	}
	if ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid)); err == nil {
		m.FDs = len(ents)
	}
	return m, sc.Err()
}

// cpuMeter measures a process's CPU time over an interval.
type cpuMeter struct {
	pid   int
	start time.Duration
}

func startCPU(pid int) cpuMeter {
	t, _ := procCPU(pid)
	return cpuMeter{pid: pid, start: t}
}

func (c cpuMeter) used() time.Duration {
	t, _ := procCPU(c.pid)
	return t - c.start
}

// memSampler polls a process's memory, threads and fds and keeps the peaks.
type memSampler struct {
	mu   sync.Mutex
	peak memInfo
	stop chan struct{}
	done chan struct{}
}

func sampleMem(pid int, every time.Duration) *memSampler {
	s := &memSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if m, err := procMem(pid); err == nil {
				s.mu.Lock()
				s.peak.RSSKB = max(s.peak.RSSKB, m.RSSKB)
				s.peak.HWMKB = max(s.peak.HWMKB, m.HWMKB)
				s.peak.Threads = max(s.peak.Threads, m.Threads)
				s.peak.FDs = max(s.peak.FDs, m.FDs)
				s.mu.Unlock()
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// finish stops sampling and returns the peaks.
func (s *memSampler) finish() memInfo {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}
