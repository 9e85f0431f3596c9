package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// The floor's CPU per request is measured in a process of its own, the floor agent, so that it is the floor's
// cost alone (not the harness's) and so that it can be this program built with the gateway's crypto (pure Go, or
// BoringCrypto for the signing scenario): the floor and the gateway are compared build for build. The harness
// sends it one load at a time on stdin; it answers with what it measured, its own CPU time included.

// agentSim is what the agent needs to know of the simulator.
type agentSim struct {
	URL, Tenancy, User, Fingerprint, KeyFile, CAFile string
	Link                                             link
	Conc                                             int
}

// agentResult is one load's outcome, as the agent reports it.
type agentResult struct {
	LatNs, LagNs []int64
	Errors       int
	FirstErr     string
	ElapsedNs    int64
	CPUNs        int64 // the agent's user+system CPU time during the load
}

// floorAgentChild is the -floor-agent child mode: arg is the agentSim as JSON; each stdin line is
// "closed <concurrency> <duration>" or "open <rate> <duration>", answered by one agentResult line.
func floorAgentChild(arg string) error {
	var as agentSim
	if err := json.Unmarshal([]byte(arg), &as); err != nil {
		return err
	}
	pem, err := os.ReadFile(as.KeyFile)
	if err != nil {
		return err
	}
	s := &simProc{URL: as.URL, Tenancy: as.Tenancy, User: as.User, Fingerprint: as.Fingerprint, keyPEM: string(pem), link: as.Link, caFile: as.CAFile}
	fl, err := newFloor(s, as.Conc)
	if err != nil {
		return err
	}
	fn := func(ctx context.Context) error { return fl.chat(ctx, shortPrompt) }
	in := bufio.NewScanner(os.Stdin)
	enc := json.NewEncoder(os.Stdout)
	for in.Scan() {
		f := strings.Fields(in.Text())
		if len(f) != 3 {
			return fmt.Errorf("floor agent: %q", in.Text())
		}
		kind := f[0]
		n, err := strconv.Atoi(f[1])
		if err != nil {
			return err
		}
		d, err := time.ParseDuration(f[2])
		if err != nil {
			return err
		}
		cpu := selfCPU()
		var res runResult
		if kind == "open" {
			res = openLoop(context.Background(), n, d, fn)
		} else {
			res = closedLoop(context.Background(), n, d, fn)
		}
		out := agentResult{Errors: res.Errors, FirstErr: res.FirstErr, ElapsedNs: int64(res.Elapsed), CPUNs: int64(selfCPU() - cpu)}
		for _, l := range res.Lat {
			out.LatNs = append(out.LatNs, int64(l))
		}
		for _, l := range res.Lag {
			out.LagNs = append(out.LagNs, int64(l))
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	return in.Err()
}

// floorAgent is a running agent.
type floorAgent struct {
	c   *child
	in  io.WriteCloser
	out *bufio.Reader
}

// startFloorAgent runs bin (this program, or its BoringCrypto build) as a floor agent against s.
func (r *runner) startFloorAgent(bin string, s *simProc, conc int) (*floorAgent, error) {
	arg, _ := json.Marshal(agentSim{URL: s.URL, Tenancy: s.Tenancy, User: s.User, Fingerprint: s.Fingerprint, KeyFile: s.KeyFile, CAFile: s.caFile, Link: s.link, Conc: conc})
	cmd := exec.Command(bin, "-floor-agent", string(arg))
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c, err := r.f.start("floor", cmd)
	if err != nil {
		return nil, err
	}
	return &floorAgent{c: c, in: in, out: bufio.NewReaderSize(out, 1<<20)}, nil
}

// load runs one load in the agent and returns what it measured and the CPU it used.
func (a *floorAgent) load(kind string, n int, d time.Duration) (runResult, time.Duration) {
	fail := func(err error) (runResult, time.Duration) {
		res := runResult{}
		res.fail(fmt.Errorf("floor agent: %v: %s", err, strings.TrimSpace(a.c.tail())))
		return res, 0
	}
	if _, err := fmt.Fprintf(a.in, "%s %d %s\n", kind, n, d); err != nil {
		return fail(err)
	}
	line, err := a.out.ReadBytes('\n')
	if err != nil {
		return fail(err)
	}
	var ar agentResult
	if err := json.Unmarshal(line, &ar); err != nil {
		return fail(errors.Join(err, errors.New(string(line))))
	}
	res := runResult{Errors: ar.Errors, FirstErr: ar.FirstErr, Elapsed: time.Duration(ar.ElapsedNs)}
	for _, l := range ar.LatNs {
		res.Lat = append(res.Lat, time.Duration(l))
	}
	for _, l := range ar.LagNs {
		res.Lag = append(res.Lag, time.Duration(l))
	}
	return res, time.Duration(ar.CPUNs)
}

// closed and open are the agent's loads in the shape way.remote takes.
func (a *floorAgent) closed(conc int) remoteLoad {
	return func(_ context.Context, d time.Duration) (runResult, time.Duration) { return a.load("closed", conc, d) }
}

func (a *floorAgent) open(rate int) remoteLoad {
	return func(_ context.Context, d time.Duration) (runResult, time.Duration) { return a.load("open", rate, d) }
}
