package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ociai/ociai-proxy/ocisim"
)

// startup: exec → first served request of the OCI Function binary (Fn contract over a unix socket), and exec →
// first /health 200 of the local server. There is no direct counterpart: an application calling OCI with the
// SDK starts nothing extra. The function is timed twice: built by go build (the round-1 baseline), and built as
// its image ships it (build.sh: BoringCrypto, static, stripped), whose image size is computed from its layers.
func (r *runner) startup(ctx context.Context) error {
	st := &StartupResult{Runs: r.o.fnRuns, FnBinaryMB: fileMB(r.bins.fn), GatewayBinaryM: fileMB(r.bins.gateway)}
	r.res.Startup = st
	env, stop, err := r.functionEnv()
	if err != nil {
		return err
	}
	defer stop()
	st.FnSocket, st.FnFirstServed, st.FnErrors, st.FnFirstErr = r.functionStarts(ctx, r.bins.fn, env)
	progress("  function (go build): socket p50 %.1f ms, first request served p50 %.1f p90 %.1f max %.1f ms, errors %d %s",
		st.FnSocket.P50, st.FnFirstServed.P50, st.FnFirstServed.P90, st.FnFirstServed.Max, st.FnErrors, st.FnFirstErr)
	st.Images = r.images(ctx)
	for _, im := range st.Images {
		if im.Name == "function" && im.Binary != "" {
			_, im.FirstServed, im.Errors, im.FirstErr = r.functionStarts(ctx, im.Binary, env)
			progress("  function (image build): first request served p50 %.1f p90 %.1f max %.1f ms, errors %d %s",
				im.FirstServed.P50, im.FirstServed.P90, im.FirstServed.Max, im.Errors, im.FirstErr)
		}
		progress("  %s image: binary %.1f MB, layer %.1f MB gzipped, image about %.1f MB (%.1f MB pushed) %s", im.Name, im.BinaryMB, im.LayerGzMB, im.ImageMB, im.PushedMB, im.BuildError)
	}

	s, _, err := r.plain(ctx)
	if err != nil {
		return err
	}
	var health []time.Duration
	for range r.o.fnRuns {
		d, err := r.localserverOnce(ctx, s)
		if err != nil {
			st.LocalErrors++
			continue
		}
		health = append(health, d)
	}
	st.LocalHealth = summarize(health, st.LocalErrors)
	progress("  localserver: first /health p50 %.1f p90 %.1f max %.1f ms", st.LocalHealth.P50, st.LocalHealth.P90, st.LocalHealth.Max)
	errs := st.FnErrors + st.LocalErrors
	for _, im := range st.Images {
		errs += im.Errors
	}
	if errs > 0 {
		return fmt.Errorf("function errors %d (%s), localserver errors %d", st.FnErrors, st.FnFirstErr, st.LocalErrors)
	}
	return nil
}

// functionStarts starts the function binary fnRuns times.
func (r *runner) functionStarts(ctx context.Context, bin string, env []string) (sock, first Summary, errs int, firstErr string) {
	var socks, firsts []time.Duration
	for i := range r.o.fnRuns {
		s, f, err := r.functionOnce(ctx, bin, env, i)
		if err != nil {
			if errs == 0 {
				firstErr = err.Error()
			}
			errs++
			continue
		}
		socks, firsts = append(socks, s), append(firsts, f)
	}
	return summarize(socks, errs), summarize(firsts, errs), errs, firstErr
}

func fileMB(path string) float64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(fi.Size()) / (1 << 20)
}

// functionEnv serves an in-process simulator (only it can issue the resource-principal session token the
// function signs with) and returns the function's environment, as in func_test.go.
func (r *runner) functionEnv() ([]string, func(), error) {
	sim := ocisim.New(ocisim.Options{MaxRecorded: -1})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	rpst := sim.IssueToken(&key.PublicKey, map[string]any{
		"res_tenant": "ocid1.tenancy.oc1..benchtenancy", "res_compartment": compartment,
		"res_type": "fnfunc", "res_id": "ocid1.fnfunc.oc1..bench",
	}, time.Hour)
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	dir := filepath.Join(r.f.tmp, "rp")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		_ = os.WriteFile(p, data, 0o600)
		return p
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir,
		"FN_FORMAT=http-stream", "FN_APP_NAME=ociai", "FN_FN_NAME=ociai-proxy",
		"OCI_RESOURCE_PRINCIPAL_VERSION=2.2",
		"OCI_RESOURCE_PRINCIPAL_RPST=" + write("rpst", []byte(rpst)),
		"OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM=" + write("private.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"OCI_RESOURCE_PRINCIPAL_REGION=us-chicago-1",
		"OCIAI_ENDPOINT=http://" + ln.Addr().String(),
		"OCIAI_MODELS=llama=" + chatModel,
		"OCIAI_API_KEY=" + apiKey,
		"OCIAI_LOG_LEVEL=warn",
	}
	return env, func() { _ = srv.Close() }, nil
}

var fnSeq atomic.Int64 // socket directories

// functionOnce starts the function, waits for its socket, sends one chat call the way the Fn agent does and
// returns exec → socket and exec → answer.
func (r *runner) functionOnce(ctx context.Context, bin string, env []string, i int) (sockReady, served time.Duration, err error) {
	dir := filepath.Join(r.f.tmp, "fn"+strconv.Itoa(int(fnSeq.Add(1))))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, 0, err
	}
	sock := filepath.Join(dir, "lsnr.sock")
	cmd := exec.Command(bin)
	cmd.Env = append(env, "FN_LISTENER=unix:"+sock)
	t0 := time.Now()
	c, err := r.f.start("function", cmd)
	if err != nil {
		return 0, 0, err
	}
	defer r.f.stop(c, time.Second)
	for {
		if _, err := os.Lstat(sock); err == nil {
			break
		}
		select {
		case <-c.done:
			return 0, 0, fmt.Errorf("function exited: %s", c.tail())
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		default:
		}
		if time.Since(t0) > 10*time.Second {
			return 0, 0, fmt.Errorf("no socket after 10 s: %s", c.tail())
		}
		time.Sleep(100 * time.Microsecond)
	}
	sockReady = time.Since(t0)
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", sock)
	}}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://localhost/call",
		strings.NewReader(`{"model":"llama","messages":[{"role":"user","content":"`+shortPrompt+`"}]}`))
	req.Header.Set("Fn-Call-Id", "01BENCHCALL")
	req.Header.Set("Fn-Deadline", time.Now().Add(30*time.Second).UTC().Format(time.RFC3339))
	req.Header.Set("Fn-Intent", "httprequest")
	req.Header.Set("Fn-Http-Method", "POST")
	req.Header.Set("Fn-Http-Request-Url", "/openai/v1/chat/completions")
	req.Header.Set("Fn-Http-H-Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := hc.Do(req)
	if err != nil {
		return 0, 0, err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	served = time.Since(t0)
	if res.StatusCode != 200 || res.Header.Get("Fn-Http-Status") != "200" {
		return 0, 0, fmt.Errorf("status %d/%s: %.200s", res.StatusCode, res.Header.Get("Fn-Http-Status"), body)
	}
	return sockReady, served, nil
}

// localserverOnce starts the gateway binary and returns exec → first /health 200.
func (r *runner) localserverOnce(ctx context.Context, s *simProc) (time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return 0, err
	}
	cmd := exec.Command(r.bins.gateway, "-host", "127.0.0.1", "-port", strconv.Itoa(port), "-config", filepath.Join(r.f.tmp, "absent.conf"))
	cmd.Env = gatewayEnv(s)
	t0 := time.Now()
	c, err := r.f.start("localserver", cmd)
	if err != nil {
		return 0, err
	}
	defer r.f.stop(c, time.Second)
	at, err := waitHealth(ctx, "http://127.0.0.1:"+strconv.Itoa(port), c.done, 10*time.Second)
	if err != nil {
		return 0, err
	}
	return at.Sub(t0), nil
}
