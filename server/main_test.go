package server

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/ocisim"
)

// server is the built ociai-proxy binary running as a child process.
type server struct {
	cmd  *exec.Cmd
	url  string
	mu   sync.Mutex
	out  bytes.Buffer
	done chan error
}

// buildDirs are removed when the tests end.
var (
	buildMu   sync.Mutex
	buildDirs []string
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range buildDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// binary is the command as `go install` builds it (cmd/ociai-proxy), built once per test run.
var binary = builder("../cmd/ociai-proxy")

// builder returns a function that builds the main package at pkg once, with extra go build flags.
func builder(pkg string, flags ...string) func(t *testing.T) string {
	var (
		once sync.Once
		path string
		err  error
	)
	return func(t *testing.T) string {
		t.Helper()
		once.Do(func() {
			var dir string
			if dir, err = os.MkdirTemp("", "ociai-server-"); err != nil {
				return
			}
			buildMu.Lock()
			buildDirs = append(buildDirs, dir)
			buildMu.Unlock()
			path = filepath.Join(dir, "ociai-proxy")
			out, buildErr := exec.Command("go", append(append([]string{"build", "-o", path}, flags...), pkg)...).CombinedOutput()
			if buildErr != nil {
				err = fmt.Errorf("%v\n%s", buildErr, out)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func (s *server) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.Write(p)
}

func (s *server) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// launch runs the binary with args on a free loopback port.
func launch(t *testing.T, dir string, env []string, args ...string) *server {
	t.Helper()
	return launchWith(t, dir, env, nil, append([]string{"-host", "127.0.0.1"}, args...)...)
}

// launchWith runs the binary through wrapper (a command that runs its arguments, like sh -c '… exec "$@"' sh;
// nil for none) with -port on a free port and args.
func launchWith(t *testing.T, dir string, env, wrapper []string, args ...string) *server {
	t.Helper()
	port := freePort(t)
	argv := slices.Concat(wrapper, []string{binary(t), "-port", fmt.Sprint(port)}, args)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
	return startProcess(t, cmd, port)
}

// startProcess starts cmd, a server that will listen on port, collecting its output; the test's cleanup kills it.
func startProcess(t *testing.T, cmd *exec.Cmd, port int) *server {
	t.Helper()
	s := &server{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d", port), done: make(chan error, 1)}
	if s.cmd.Stdout == nil { // a test may give stdout a terminal of its own
		s.cmd.Stdout = s
	}
	s.cmd.Stderr = s
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		<-s.done
		if t.Failed() {
			t.Logf("server output:\n%s", s.output())
		}
	})
	return s
}

func start(t *testing.T, dir string, env []string, args ...string) *server {
	t.Helper()
	s := launch(t, dir, env, args...)
	s.waitReady(t, http.DefaultClient, s.url)
	return s
}

// startTLS starts the server with -simulate over HTTPS and waits until it answers.
func startTLS(t *testing.T, dir, cert, key string) *server {
	t.Helper()
	s := launch(t, dir, nil, "-simulate", "-tls-cert", cert, "-tls-key", key)
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	s.waitReady(t, insecure, strings.Replace(s.url, "http://", "https://", 1))
	return s
}

// waitExit expects the server to exit cleanly by itself (after SIGTERM); the deadline only bounds a broken test.
func (s *server) waitExit(t *testing.T) {
	t.Helper()
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("exit: %v", err)
		}
		s.done <- err // for the cleanup
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not exit after SIGTERM")
	}
}

// waitOutput waits until the server has written want; the deadline only bounds a broken test.
func waitOutput(t *testing.T, s *server, want string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(s.output(), want); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("server never wrote %q", want)
		}
	}
}

func (s *server) waitReady(t *testing.T, client *http.Client, base string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if res, err := client.Get(base + "/health"); err == nil {
			res.Body.Close()
			return
		}
		select {
		case err := <-s.done:
			t.Fatalf("server exited: %v\n%s", err, s.output())
		default:
		}
	}
	t.Fatalf("server never answered /health:\n%s", s.output())
}

func (s *server) chat(t *testing.T, key, body string) (*http.Response, string) {
	t.Helper()
	return call(t, http.MethodPost, s.url+"/v1/chat/completions", key, body)
}

// call sends one request, with a Bearer key when key is not empty, and reads the whole answer.
func call(t *testing.T, method, url, key, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	return send(t, req, key)
}

// send makes req with the Bearer key (none when key is "") and returns the answer with its body read.
func send(t *testing.T, req *http.Request, key string) (*http.Response, string) {
	t.Helper()
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res, string(data)
}

// TestSimulateNeedsNoAccount: without a config file -simulate serves the sample models with the sample key, and
// plays two regions: the sample grok-4 takes turns between them.
func TestSimulateNeedsNoAccount(t *testing.T) {
	s := start(t, t.TempDir(), nil, "-simulate")
	for range 2 {
		res, body := s.chat(t, simulatorKey, `{"model":"grok-4","messages":[{"role":"user","content":"Hello!"}]}`)
		if res.StatusCode != 200 || !strings.Contains(body, "Hello from xai.grok-4! You said: Hello!") {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
	}
	if res, body := s.chat(t, "", `{}`); res.StatusCode != 401 || !strings.Contains(body, "This gateway runs with -simulate; its key: sk-simulator.") {
		t.Errorf("401 without a hint: %s", body)
	}
	for _, line := range []string{"-simulate: the built-in OCI simulator on http://127.0.0.1:", " plays us-chicago-1; no OCI account is used",
		" plays us-phoenix-1.\n", "model=grok-4 stream=false key=default opc_request_id=", " region=us-chicago-1\n", " region=us-phoenix-1\n",
		"\nSample models (there is no config.conf): grok-4, grok-3-mini, llama-3.3, gpt-oss-120b, gemini-2.5-flash, command-a, command-a-vision, embed-v4\n",
		"\nAPI key: sk-simulator\n", `msg="models loaded"`, `msg="OCI Generative AI"`, `msg="OCI client ready"`, "msg=listening"} {
		waitOutput(t, s, line)
	}
}

// keylessConfig writes a config file with api_key = auto_generated_key for a simulator of its own, in a new
// directory, and returns the directory, the file and what was written.
func keylessConfig(t *testing.T) (dir, path, conf string) {
	t.Helper()
	id, err := ocisim.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	sim := ocisim.New(ocisim.Options{TokenDelay: 30 * time.Millisecond})
	sim.AddIdentity(id)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)

	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), id.PrivateKeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	conf = fmt.Sprintf("# my gateway\n[DEFAULT]\nuser = %s\nfingerprint = %s\nkey_file = key.pem\ntenancy = %s\nregion = us-chicago-1\n"+
		"endpoint = %s\nlog_level = debug\n# keep me\napi_key = auto_generated_key\n\n[MODELS]\nllama = meta.llama-3.3-70b-instruct\n", id.User, id.Fingerprint, id.Tenancy, srv.URL)
	path = filepath.Join(dir, "config.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, path, conf
}

// TestConfigFileKeyGenerationAndShutdown runs the server from a real config file against a simulator: the
// generated key is written back (0600, comments kept) and, stdout being no terminal here, never printed: the
// log says where it is. Debug logs hold neither the key, the private key nor the prompt, and SIGTERM lets an
// in-flight stream finish.
func TestConfigFileKeyGenerationAndShutdown(t *testing.T) {
	dir, path, conf := keylessConfig(t)
	s := start(t, dir, nil)

	waitOutput(t, s, "it is in the config file, not in this log")
	saved, _ := os.ReadFile(path)
	key := regexp.MustCompile(`(?m)^api_key = ([0-9a-f]{32})$`).FindStringSubmatch(string(saved))
	if key == nil {
		t.Fatalf("no generated key in the config file:\n%s", saved)
	}
	if !strings.Contains(s.output(), "it is in the config file, not in this log\" file=config.conf") {
		t.Errorf("the log does not say where the key is:\n%s", s.output())
	}
	if want := strings.Replace(conf, "auto_generated_key", key[1], 1); string(saved) != want {
		t.Errorf("config rewritten as\n%s\nwant\n%s", saved, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("config mode %v", fi.Mode().Perm())
	}

	// A slow stream is in flight when SIGTERM arrives; it must complete, then the process exits cleanly.
	req, _ := http.NewRequest("POST", s.url+"/v1/chat/completions", strings.NewReader(`{"model":"llama","stream":true,"user":"u1","messages":[{"role":"user","content":"secret prompt words one two three four five six"}]}`))
	req.Header.Set("Authorization", "Bearer "+key[1])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	rd := bufio.NewReader(res.Body)
	if _, err := rd.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(rd)
	if !strings.HasSuffix(string(rest), "data: [DONE]\n\n") {
		t.Errorf("in-flight stream cut by shutdown: %q", rest)
	}
	s.waitExit(t)
	out := s.output()
	if strings.Contains(out, key[1]) {
		t.Errorf("the API key is in the output of a server whose stdout is not a terminal")
	}
	// Logging is at debug level here: still no prompt, and no trace of the private key.
	pem, _ := os.ReadFile(filepath.Join(dir, "key.pem"))
	keyBody := strings.Split(string(pem), "\n")[1]
	if strings.Contains(out, "secret prompt") || strings.Contains(out, "PRIVATE KEY") || strings.Contains(out, keyBody) {
		t.Error("prompt or private key in the logs")
	}
	if !strings.Contains(out, "level=DEBUG") {
		t.Error("the run was meant to log at debug level")
	}
	if !strings.Contains(out, "shutting down") {
		t.Error("no shutdown log line")
	}
}
