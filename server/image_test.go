package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ociai/ociai-proxy/ocisim"
)

// The server image's binary, built by build.sh exactly as the Dockerfile's server target builds it, run the way
// the image runs it (its ENTRYPOINT, WORKDIR and ENV; $PORT from the platform) with what OCI Container
// Instances give it: a resource principal, and client keys in a Vault secret. No Docker engine needed.

const imageSecret = "ocid1.vaultsecret.oc1.us-chicago-1.amaaaaaaimagesecret"

// gatedSim holds the simulator's chat stream once it has sent the answer's first word, until release is
// closed: whatever the client has received by then was streamed, not buffered until the answer was complete.
type gatedSim struct {
	sim     *ocisim.Simulator
	held    chan struct{} // closed when the stream is being held
	release chan struct{}
	once    sync.Once
}

func (g *gatedSim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/20231130/actions/chat" {
		w = &gatedWriter{ResponseWriter: w, g: g}
	}
	g.sim.ServeHTTP(w, r)
}

type gatedWriter struct {
	http.ResponseWriter
	g       *gatedSim
	started bool // the first word went out
}

func (w *gatedWriter) Write(p []byte) (int, error) {
	if w.started {
		w.g.once.Do(func() { close(w.g.held) })
		<-w.g.release
	}
	w.started = w.started || bytes.Contains(p, []byte("Hello "))
	return w.ResponseWriter.Write(p)
}

func (w *gatedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// buildImageBinary runs build.sh with the server target's arguments (CRYPTO and VERSION left to build.sh's
// defaults, as a plain `docker build --target server` does, VERSION set to recognise the binary).
func buildImageBinary(t *testing.T, img image) string {
	t.Helper()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("the server image links BoringCrypto (build.sh's default), which needs gcc")
	}
	out := filepath.Join(t.TempDir(), filepath.Base(img.binary))
	cmd := exec.Command("./build.sh", img.pkg, out)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "VERSION=image-test")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build.sh %s: %v\n%s", img.pkg, err, b)
	}
	return out
}

// runImage starts bin as the image's ENTRYPOINT in a directory playing the image's WORKDIR, with the image's
// ENV overlaid by env (as `docker run -e` does).
func runImage(t *testing.T, img image, bin, workdir string, env map[string]string) *server {
	t.Helper()
	port := freePort(t)
	vars := map[string]string{"PATH": os.Getenv("PATH")}
	for k, v := range img.env {
		vars[k] = v
	}
	vars["HOME"] = workdir
	vars["PORT"] = fmt.Sprint(port)
	for k, v := range env {
		vars[k] = v
	}
	cmd := exec.Command(bin, img.entrypoint[1:]...)
	cmd.Dir = workdir
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	s := startProcess(t, cmd, port)
	s.waitReady(t, http.DefaultClient, s.url)
	return s
}

func TestServerImage(t *testing.T) {
	img := imageFor(t, parseDockerfile(t, "../Dockerfile"), "server")
	bin := buildImageBinary(t, img)

	id, err := ocisim.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	sim := ocisim.New(ocisim.Options{})
	sim.AddIdentity(id)
	gate := &gatedSim{sim: sim, held: make(chan struct{}), release: make(chan struct{})}
	simSrv := httptest.NewServer(gate)
	t.Cleanup(func() { simSrv.CloseClientConnections(); simSrv.Close() })
	rp, rpst, err := sim.ResourcePrincipal(t.TempDir(), "us-chicago-1", map[string]any{
		"res_type": "computecontainerinstance", "res_tenant": id.Tenancy, "res_compartment": "ocid1.compartment.oc1..ci",
	})
	if err != nil {
		t.Fatal(err)
	}
	sim.PutSecret(imageSecret, []byte("cline=sk-image-vault-1"))
	env := func(kv ...string) map[string]string {
		m := map[string]string{"OCIAI_ENDPOINT": simSrv.URL}
		for k, v := range rp {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}

	t.Run("env config, Vault key, streaming, drain", func(t *testing.T) {
		s := runImage(t, img, bin, t.TempDir(), env("OCIAI_MODELS", "llama=meta.llama-3.3-70b-instruct",
			"OCIAI_API_KEY_SECRET_OCID", imageSecret, "OCIAI_SECRETS_ENDPOINT", simSrv.URL))
		checkHealth(t, s)
		streamAndDrain(t, s, gate, "sk-image-vault-1")
		out := s.output()
		for _, want := range []string{"auth=resource_principal", `msg="API keys loaded from Vault" secret=` + imageSecret + " version=1", `msg="shutting down"`} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q", want)
			}
		}
		if strings.Contains(out, "sk-image-vault-1") || strings.Contains(out, "meet you") {
			t.Error("a key or the prompt is in the output")
		}
		reqs := sim.Requests()
		if !strings.Contains(reqs[0].Header.Get("Authorization"), `keyId="ST$`+rpst+`"`) {
			t.Error("the Vault read was not signed with the resource principal")
		}
	})

	t.Run("mounted config file", func(t *testing.T) {
		dir := t.TempDir()
		conf := "[DEFAULT]\nregion = us-chicago-1\napi_key = sk-image-file-0001\n\n[MODELS]\ngrok = xai.grok-4\n"
		if err := os.WriteFile(filepath.Join(dir, "config.conf"), []byte(conf), 0o400); err != nil {
			t.Fatal(err)
		}
		s := runImage(t, img, bin, dir, env())
		req, _ := http.NewRequest(http.MethodGet, s.url+"/v1/models", nil)
		req.Header.Set("Authorization", "Bearer sk-image-file-0001")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), `"id":"grok"`) {
			t.Errorf("models from the mounted file: %d %s", res.StatusCode, body)
		}
	})
}

func checkHealth(t *testing.T, s *server) {
	t.Helper()
	res, err := http.Get(s.url + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var h struct {
		Status, Version string
		Models          int
	}
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil || h.Status != "ok" || h.Version != "image-test" || h.Models != 1 {
		t.Errorf("/health: %v %+v (want the version build.sh stamped)", err, h)
	}
}

// streamAndDrain proves the server streams: the first words reach the client while OCI still holds the rest of
// the answer. It then sends SIGTERM mid-stream: the server stops accepting, finishes the stream and exits 0.
func streamAndDrain(t *testing.T, s *server, gate *gatedSim, key string) {
	t.Helper()
	// The deadline only ends a test whose server buffers (it would wait for OCI forever); it asserts no timing.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/v1/chat/completions",
		strings.NewReader(`{"model":"llama","stream":true,"messages":[{"role":"user","content":"nice to meet you"}]}`))
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("stream: %d %s", res.StatusCode, b)
	}
	rd := bufio.NewReader(res.Body)
	var text strings.Builder
	readChunk := func() (done bool) {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended early: %v (text so far %q)", err, text.String())
		}
		data, ok := strings.CutPrefix(strings.TrimSpace(line), "data: ")
		if !ok {
			return false
		}
		if data == "[DONE]" {
			return true
		}
		var c struct {
			Choices []struct {
				Delta struct{ Content string }
			}
		}
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			t.Fatalf("chunk %s: %v", data, err)
		}
		for _, ch := range c.Choices {
			text.WriteString(ch.Delta.Content)
		}
		return false
	}
	// A server that buffered would never deliver these words: OCI sends nothing more until release.
	for !strings.Contains(text.String(), "Hello") {
		readChunk()
	}
	select {
	case <-gate.held:
	case <-ctx.Done():
		t.Fatalf("OCI's stream was never held after its first word (text %q): did the server call OCI without streaming?", text.String())
	}
	if strings.Contains(text.String(), "You said") {
		t.Fatalf("the whole answer arrived before OCI finished it: %q", text.String())
	}

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The listener closes while the stream is still held open by OCI: new connections are refused from then on.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		r, err := fresh.Get(s.url + "/health")
		if err != nil {
			break
		}
		r.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections after SIGTERM")
		}
	}
	waitOutput(t, s, `msg="shutting down"`)
	close(gate.release)
	for !readChunk() {
	}
	if want := "Hello from meta.llama-3.3-70b-instruct! You said: nice to meet you"; text.String() != want {
		t.Errorf("streamed text %q, want %q", text.String(), want)
	}
	s.waitExit(t) // once its last stream has ended
}

// TestPortFromEnv: $PORT is checked like -port, and -port wins over it.
func TestPortFromEnv(t *testing.T) {
	cmd := exec.Command(binary(t), "-simulate")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "PORT=80a"}
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), `PORT="80a" is not a port number (1-65535)`) {
		t.Errorf("bad PORT: %v\n%s", err, out)
	}
	// -port given: $PORT is not even read.
	s := launch(t, t.TempDir(), []string{"PORT=80a"}, "-simulate")
	s.waitReady(t, http.DefaultClient, s.url)
}
