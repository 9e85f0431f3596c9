package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// fleet builds the binaries and owns every child process, so all of them are killed at the end, on error and
// on ctrl-C.
type fleet struct {
	root, tmp string

	mu   sync.Mutex
	kids map[*child]bool
	seq  int
}

type child struct {
	name string
	cmd  *exec.Cmd
	log  string // stdout+stderr file (stdout may be a pipe instead)
	done chan struct{}
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// raiseNoFile lifts RLIMIT_NOFILE as far as allowed; children inherit it (a Go program that sets the limit
// itself is not restored to the old one for its children).
func raiseNoFile() uint64 {
	var r syscall.Rlimit
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r)
	for _, want := range []uint64{1 << 20, 1 << 18, r.Max} {
		if want < r.Cur {
			continue
		}
		if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: want, Max: max(want, r.Max)}) == nil {
			return want
		}
	}
	return r.Cur
}

// build compiles pkg into tmp/name with extra environment (GOEXPERIMENT, CGO_ENABLED) and go build flags.
func (f *fleet) build(ctx context.Context, name, pkg string, env []string, flags ...string) (string, error) {
	bin, _, err := f.buildOut(ctx, name, pkg, env, flags...)
	return bin, err
}

// buildOut is build that also returns what the compiler and linker printed (warnings of a static link).
func (f *fleet) buildOut(ctx context.Context, name, pkg string, env []string, flags ...string) (string, string, error) {
	out := filepath.Join(f.tmp, name)
	args := append([]string{"build", "-o", out}, flags...)
	cmd := exec.CommandContext(ctx, "go", append(args, pkg)...)
	cmd.Dir = f.root
	cmd.Env = append(os.Environ(), env...)
	b, err := cmd.CombinedOutput()
	if err != nil {
		return "", string(b), fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return out, string(b), nil
}

// start runs cmd as a registered child in its own process group, logging to a file unless Stdout is set.
func (f *fleet) start(name string, cmd *exec.Cmd) (*child, error) {
	f.mu.Lock()
	f.seq++
	c := &child{name: name, cmd: cmd, log: filepath.Join(f.tmp, fmt.Sprintf("%s-%d.log", name, f.seq)), done: make(chan struct{})}
	f.mu.Unlock()
	lf, err := os.Create(c.log)
	if err != nil {
		return nil, err
	}
	defer lf.Close()
	if cmd.Stdout == nil {
		cmd.Stdout = lf
	}
	cmd.Stderr = lf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() { _ = cmd.Wait(); close(c.done) }()
	f.mu.Lock()
	f.kids[c] = true
	f.mu.Unlock()
	return c, nil
}

// stop ends a child: SIGTERM, then SIGKILL after grace.
func (f *fleet) stop(c *child, grace time.Duration) {
	if c == nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(grace):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
	f.mu.Lock()
	delete(f.kids, c)
	f.mu.Unlock()
}

func (f *fleet) stopAll() {
	f.mu.Lock()
	kids := make([]*child, 0, len(f.kids))
	for c := range f.kids {
		kids = append(kids, c)
	}
	f.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range kids {
		wg.Go(func() { f.stop(c, 2*time.Second) })
	}
	wg.Wait()
}

// tail is the end of a child's log, for error messages.
func (c *child) tail() string {
	b, _ := os.ReadFile(c.log)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// link is how the OCI side is reached: plain HTTP/1.1 on loopback (the method of every scenario unless it says
// otherwise), or TLS as OCI's endpoints are, with HTTP/1.1 or HTTP/2 by ALPN.
type link string

const (
	linkPlain link = "http"
	linkTLS1  link = "tls-h1"
	linkTLS2  link = "tls-h2"
)

// simProc is a running ocisim and the identity it accepts.
type simProc struct {
	URL         string `json:"url"`
	Tenancy     string `json:"tenancy"`
	User        string `json:"user"`
	Fingerprint string `json:"fingerprint"`
	KeyFile     string `json:"key_file"`
	keyPEM      string
	link        link
	caFile      string // the simulator's self-signed certificate, with TLS
	proc        *child
}

// startSim starts the simulator binary with the given token pace on plain HTTP and reads its identity line.
func (f *fleet) startSim(ctx context.Context, bin string, tokenDelay time.Duration) (*simProc, error) {
	return f.startSimLink(ctx, bin, tokenDelay, linkPlain)
}

// startSimLink is startSim over the given link: with TLS the simulator serves HTTPS (HTTP/2 and HTTP/1.1) with a
// certificate the clients and the gateway are told to trust.
func (f *fleet) startSimLink(ctx context.Context, bin string, tokenDelay time.Duration, l link) (*simProc, error) {
	f.mu.Lock()
	f.seq++
	key := filepath.Join(f.tmp, fmt.Sprintf("sim-%d.pem", f.seq))
	ca := filepath.Join(f.tmp, fmt.Sprintf("sim-%d-ca.pem", f.seq))
	f.mu.Unlock()
	args := []string{"-addr", "127.0.0.1:0", "-key-file", key, "-token-delay", tokenDelay.String(), "-latency", "0", "-max-recorded", "-1"}
	if l != linkPlain {
		args = append(args, "-tls-ca-file", ca)
	} else {
		ca = ""
	}
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c, err := f.start("ocisim", cmd)
	if err != nil {
		return nil, err
	}
	line := make(chan string, 1)
	go func() {
		br := bufio.NewReader(out)
		l, _ := br.ReadString('\n')
		line <- l
		_, _ = io.Copy(io.Discard, br)
	}()
	var s simProc
	select {
	case l := <-line:
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			f.stop(c, time.Second)
			return nil, fmt.Errorf("ocisim said %q: %v\n%s", l, err, c.tail())
		}
	case <-time.After(15 * time.Second):
		f.stop(c, time.Second)
		return nil, errors.New("ocisim did not start:\n" + c.tail())
	case <-ctx.Done():
		f.stop(c, time.Second)
		return nil, ctx.Err()
	}
	pem, err := os.ReadFile(s.KeyFile)
	if err != nil {
		return nil, err
	}
	s.keyPEM, s.proc, s.link, s.caFile = string(pem), c, l, ca
	return &s, nil
}

// Gateway settings shared by every gateway process of a run.
const (
	apiKey      = "sk-bench-5e1b0c9a7d3f42e8b6a1"
	compartment = "ocid1.compartment.oc1..aaaaaaaabenchmark"
	chatModel   = "meta.llama-3.3-70b-instruct"
	embedModel  = "cohere.embed-v4.0"
)

// gatewayEnv is the OCIAI_* configuration pointing a gateway (or the profiling server) at s. Over TLS the gateway
// trusts the simulator's certificate (SSL_CERT_FILE, read by Go's crypto/x509 on Linux), and for the HTTP/1.1
// variant its HTTP/2 client is switched off (GODEBUG=http2client=0); its code is the same either way.
func gatewayEnv(s *simProc) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OCIAI_") {
			env = append(env, kv)
		}
	}
	if s.caFile != "" {
		env = append(env, "SSL_CERT_FILE="+s.caFile)
	}
	if s.link == linkTLS1 {
		env = append(env, "GODEBUG=http2client=0")
	}
	return append(env,
		"OCIAI_USER="+s.User, "OCIAI_TENANCY="+s.Tenancy, "OCIAI_FINGERPRINT="+s.Fingerprint, "OCIAI_KEY_FILE="+s.KeyFile,
		"OCIAI_REGION=us-chicago-1", "OCIAI_ENDPOINT="+s.URL, "OCIAI_COMPARTMENT_ID="+compartment, "OCIAI_API_KEY="+apiKey,
		"OCIAI_MODELS=llama="+chatModel+",embed="+embedModel, "OCIAI_LOG_LEVEL=warn")
}

// gwProc is a running gateway.
type gwProc struct {
	URL  string
	proc *child
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startGateway runs a gateway binary (localserver, or this program in -serve-gateway mode when args say so)
// against s and waits until /health answers 200.
func (f *fleet) startGateway(ctx context.Context, bin string, s *simProc, args ...string) (*gwProc, error) {
	return f.startGatewayEnv(ctx, bin, s, nil, args...)
}

// startGatewayEnv is startGateway with extra environment variables (e.g. GOMEMLIMIT).
func (f *fleet) startGatewayEnv(ctx context.Context, bin string, s *simProc, env []string, args ...string) (*gwProc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	if len(args) == 0 {
		args = []string{"-host", "127.0.0.1", "-config", filepath.Join(f.tmp, "absent.conf")}
	}
	cmd := exec.Command(bin, append(args, "-port", strconv.Itoa(port))...)
	cmd.Env = append(gatewayEnv(s), env...)
	c, err := f.start("gateway", cmd)
	if err != nil {
		return nil, err
	}
	g := &gwProc{URL: "http://127.0.0.1:" + strconv.Itoa(port), proc: c}
	if _, err := waitHealth(ctx, g.URL, c.done, 15*time.Second); err != nil {
		f.stop(c, time.Second)
		return nil, fmt.Errorf("gateway: %v\n%s", err, c.tail())
	}
	return g, nil
}

// waitHealth polls url/health every 500µs until it answers 200, and returns when it did.
func waitHealth(ctx context.Context, url string, exited <-chan struct{}, limit time.Duration) (time.Time, error) {
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for {
		res, err := hc.Get(url + "/health")
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return time.Now(), nil
			}
		}
		select {
		case <-exited:
			return time.Time{}, errors.New("exited before serving /health")
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		default:
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("no /health 200 within %v (last error %v)", limit, err)
		}
		time.Sleep(500 * time.Microsecond)
	}
}
