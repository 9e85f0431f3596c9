package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ociai/ociai-proxy/ocisim"
)

// SoakResult is a bounded soak: mixed traffic at a fixed rate, with clients that hang up mid-stream and OCI
// throttling injected, checking that nothing servable is lost and nothing piles up.
type SoakResult struct {
	Seconds        float64 `json:"seconds"`
	Rate           int     `json:"rate_per_s"`
	StreamShare    float64 `json:"stream_share"`
	DropShare      float64 `json:"disconnect_share"`
	ThrottleShare  float64 `json:"throttle_share"`
	Sent           int64   `json:"sent"`
	Completed      int64   `json:"completed"`
	Disconnected   int64   `json:"disconnected_by_client"`
	Throttled      int64   `json:"throttled_after_retries"` // OCI said 429 to every attempt: not servable
	Lost           int64   `json:"lost"`
	FirstLoss      string  `json:"first_loss,omitempty"`
	Injected429    int64   `json:"injected_429"`
	Retries        float64 `json:"gateway_retries"`
	RSSStartMB     float64 `json:"rss_start_mb"`
	RSSPeakMB      float64 `json:"rss_peak_mb"`
	RSSEndMB       float64 `json:"rss_end_mb"`
	GoroutinesIdle float64 `json:"goroutines_idle"`
	GoroutinesEnd  float64 `json:"goroutines_end"`
	OpenStreamsEnd float64 `json:"open_streams_end"`
}

// soak runs the gateway binary against an in-process simulator, so the harness can inject 429s into it.
func (r *runner) soak(ctx context.Context) error {
	id, err := ocisim.NewIdentity()
	if err != nil {
		return err
	}
	sim := ocisim.New(ocisim.Options{TokenDelay: 5 * time.Millisecond, MaxRecorded: -1})
	sim.AddIdentity(id)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: sim}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	keyFile := filepath.Join(r.f.tmp, "soak-key.pem")
	if err := os.WriteFile(keyFile, id.PrivateKeyPEM, 0o600); err != nil {
		return err
	}
	s := &simProc{URL: "http://" + ln.Addr().String(), Tenancy: id.Tenancy, User: id.User, Fingerprint: id.Fingerprint, KeyFile: keyFile}
	g, err := r.f.startGateway(ctx, r.bins.gateway, s)
	if err != nil {
		return err
	}
	defer r.f.stop(g.proc, 3*time.Second)
	pid := g.proc.pid()
	gw := newViaGateway(g.URL, 256)

	res := &SoakResult{Rate: r.o.soakRate, StreamShare: 0.5, DropShare: r.o.soakDrop, ThrottleShare: r.o.soak429}
	r.res.Soak = res
	for range 5 { // warm the code paths before the baseline
		if err := gw.chat(ctx, shortPrompt); err != nil {
			return err
		}
	}
	time.Sleep(500 * time.Millisecond)
	start, _ := procMem(pid)
	res.RSSStartMB = float64(start.RSSKB) / 1024
	res.GoroutinesIdle = scrapeMetric(g.URL, "go_goroutines")

	mem := sampleMem(pid, 250*time.Millisecond)
	began := time.Now()
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(r.o.soakRate))
	var lossOnce sync.Once
	for time.Since(began) < r.o.soakDuration && ctx.Err() == nil {
		<-tick.C
		res.Sent++
		if rand.Float64() < r.o.soak429 {
			sim.Inject(ocisim.Fault{Status: 429})
			atomic.AddInt64(&res.Injected429, 1)
		}
		stream, drop := rand.Float64() < res.StreamShare, rand.Float64() < r.o.soakDrop
		wg.Go(func() {
			outcome, detail := soakOne(ctx, gw, stream, drop)
			switch outcome {
			case "ok":
				atomic.AddInt64(&res.Completed, 1)
			case "dropped":
				atomic.AddInt64(&res.Disconnected, 1)
			case "throttled":
				atomic.AddInt64(&res.Throttled, 1)
			default:
				atomic.AddInt64(&res.Lost, 1)
				lossOnce.Do(func() { res.FirstLoss = detail })
			}
		})
	}
	tick.Stop()
	wg.Wait()
	res.Seconds = time.Since(began).Seconds()
	time.Sleep(3 * time.Second) // let idle connections and timers settle before the "end" figures
	res.RSSPeakMB = float64(mem.finish().RSSKB) / 1024
	end, _ := procMem(pid)
	res.RSSEndMB = float64(end.RSSKB) / 1024
	res.GoroutinesEnd = scrapeMetric(g.URL, "go_goroutines")
	res.OpenStreamsEnd = scrapeMetric(g.URL, "ociai_open_streams")
	res.Retries = scrapeMetric(g.URL, "ociai_upstream_retries_total")
	progress("  soak: %d sent, %d completed, %d hung up, %d throttled after retries, %d lost; goroutines %.0f → %.0f; RSS %.1f → %.1f MB (peak %.1f)",
		res.Sent, res.Completed, res.Disconnected, res.Throttled, res.Lost, res.GoroutinesIdle, res.GoroutinesEnd, res.RSSStartMB, res.RSSEndMB, res.RSSPeakMB)
	if res.Lost > 0 {
		return fmt.Errorf("%d requests lost, first: %s", res.Lost, res.FirstLoss)
	}
	return nil
}

var soakPrompt = prompt(20)

// soakOne sends one chat (streaming or not); a dropping client hangs up after the first chunks.
func soakOne(ctx context.Context, gw *viaGateway, stream, drop bool) (outcome, detail string) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	body := map[string]any{"model": "llama", "stream": stream, "messages": []map[string]string{{"role": "user", "content": soakPrompt}}}
	res, err := gw.post(ctx, "/v1/chat/completions", body)
	if err != nil {
		return "lost", err.Error()
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusTooManyRequests {
		return "throttled", ""
	}
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		return "lost", fmt.Sprintf("status %d: %s", res.StatusCode, b)
	}
	if !stream {
		var out struct {
			Choices []struct {
				Message struct{ Content string } `json:"message"`
			} `json:"choices"`
		}
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil || len(out.Choices) == 0 || out.Choices[0].Message.Content == "" {
			return "lost", fmt.Sprintf("bad answer: %v", err)
		}
		return "ok", ""
	}
	rd := bufio.NewReader(res.Body)
	for n := 0; ; n++ {
		line, err := rd.ReadBytes('\n')
		if drop && n == 6 { // role chunk and two content chunks in (each event is a line plus a blank line)
			cancel()
			return "dropped", ""
		}
		if bytes.HasPrefix(line, []byte(`data: {"error"`)) {
			return "lost", string(line)
		}
		if bytes.Equal(bytes.TrimSpace(line), []byte("data: [DONE]")) {
			return "ok", ""
		}
		if err != nil {
			return "lost", "stream ended without [DONE]: " + err.Error()
		}
	}
}

// scrapeMetric reads one unlabelled (or summed) series from the gateway's /metrics.
func scrapeMetric(base, name string) float64 {
	res, err := http.Get(base + "/metrics")
	if err != nil {
		return -1
	}
	defer res.Body.Close()
	text, _ := io.ReadAll(res.Body)
	var sum float64
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `(\{[^}]*\})? (\S+)$`)
	for _, m := range re.FindAllStringSubmatch(string(text), -1) {
		v, _ := strconv.ParseFloat(strings.TrimSpace(m[2]), 64)
		sum += v
	}
	return sum
}
