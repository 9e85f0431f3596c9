package main

import (
	"fmt"
)

func (r *runner) mdPaced(w *mdWriter) {
	if len(r.res.Paced) == 0 {
		return
	}
	p0 := r.res.Paced[0]
	w.p("## 4. Many paced streams\n")
	w.p("%d streams of %d tokens at %.0f ms per token, started evenly over %.0f ms, in %d rounds per way, floor and gateway in turn; every stream must deliver every token. Per stream: when its last (and first) token arrived after the stream started. The simulator keeps every stream's events on a fixed schedule, so the last token leaves it about %.0f ms after the first however loaded the machine is; what differs is the path. Milliseconds.\n",
		p0.Streams, p0.Tokens, p0.TokenDelayMs, p0.RampMs, p0.Rounds, float64(p0.Tokens-1)*p0.TokenDelayMs)
	w.head("Client API", "Measure", "Way", "Streams", "p50", "p90", "p99", "max")
	for _, p := range r.res.Paced {
		w.row(p.API, "Last chunk", "floor", p.Floor.N, p.Floor.P50, p.Floor.P90, p.Floor.P99, p.Floor.Max)
		w.row(p.API, "", "via gateway", p.Gateway.N, p.Gateway.P50, p.Gateway.P90, p.Gateway.P99, p.Gateway.Max)
		w.row(p.API, "", "**added to the floor**", "", p.Added.P50, p.Added.P90, p.Added.P99, p.Added.Max)
		w.row(p.API, "First token", "floor", p.FloorTTFT.N, p.FloorTTFT.P50, p.FloorTTFT.P90, p.FloorTTFT.P99, p.FloorTTFT.Max)
		w.row(p.API, "", "via gateway", p.GatewayTTFT.N, p.GatewayTTFT.P50, p.GatewayTTFT.P90, p.GatewayTTFT.P99, p.GatewayTTFT.Max)
	}
	w.p("")
	for _, p := range r.res.Paced {
		w.p("- %s: gateway CPU %.2f s per round (%d streams × %d chunks).", p.API, p.GwCPUSeconds, p.Streams, p.Tokens)
	}
	w.p("")
}

func (r *runner) mdOpenStreams(w *mdWriter) {
	if len(r.res.OpenStreams) == 0 {
		return
	}
	o0 := r.res.OpenStreams[0]
	w.p("## 5. Open streams\n")
	w.p("Each stream's answer is %d tokens at %.0f ms per token (about %.0f s open); streams are started at %d per second and all must complete with every token. The floor client holds the same streams itself first; then the relay floor and a fresh gateway each hold them for a client: each is warmed with 5 streams, its idle RSS read, and the streams run through it while /proc/<pid>/status and /proc/<pid>/fd are sampled every 100 ms. Peak RSS is VmHWM (the kernel's high-water mark); per stream = (peak − idle) ÷ streams. No GOMEMLIMIT: the Go heap may grow to twice its live size before a collection, and that headroom is part of the figure.\n",
		o0.Tokens, o0.TokenDelayMs, float64(o0.Tokens)*o0.TokenDelayMs/1000, o0.RampPerS)
	r.mdOpenTables(w, r.res.OpenStreams)
}

// mdOpenTables writes the completion and the memory tables of open-stream runs.
func (r *runner) mdOpenTables(w *mdWriter, runs []OpenStreamsResult) {
	w.head("Streams", "OCI link", "Client API", "Way", "Errors", "Open at once (peak)", "Completed", "Ramp s", "Stream duration p50 / max s")
	for _, o := range runs {
		side := func(name string, s OpenSide) {
			w.row(o.Streams, o.Link, o.API, name, s.Errors, s.PeakOpen, s.Completed, s.RampS, fmt.Sprintf("%.2f / %.2f", s.Duration.P50/1000, s.Duration.Max/1000))
		}
		if o.Floor != nil {
			side("floor", *o.Floor)
		}
		if o.Relay != nil {
			side("relay floor", o.Relay.OpenSide)
		}
		side("via gateway", o.Gateway.OpenSide)
	}
	w.p("")
	w.head("Streams", "OCI link", "Client API", "Process", "RSS idle MB", "Peak RSS MB", "**RSS per stream KB**", "Threads idle → peak", "FDs peak", "CPU s")
	for _, o := range runs {
		hold := func(name string, h OpenHold) {
			w.row(o.Streams, o.Link, o.API, name, h.IdleRSSMB, h.PeakRSSMB, fmt.Sprintf("**%.1f**", h.PerStreamKB), fmt.Sprintf("%d → %d", h.IdleThreads, h.PeakThreads), h.PeakFDs, h.CPUSeconds)
		}
		if o.Relay != nil {
			hold("relay floor", *o.Relay)
		}
		hold("gateway", o.Gateway)
	}
	w.p("")
}

func (r *runner) mdHTTP2(w *mdWriter) {
	h := r.res.HTTP2
	if h == nil {
		return
	}
	w.p("## 6. HTTP/2 to OCI\n")
	w.p("The simulator serves HTTPS with its own certificate and offers HTTP/2 and HTTP/1.1 by ALPN, as an HTTPS endpoint does. The gateway's transport offers HTTP/2 (`ForceAttemptHTTP2`); for the HTTP/1.1 runs it is switched off with GODEBUG=http2client=0, the floor's transport offers HTTP/2 or not to match. Closed loop as in scenario 2 (concurrency %d, %.0f s per way, floor agent and gateway in turn), then open streams as in scenario 5.\n", h.Concurrency, h.Seconds)
	w.head("OCI link", "Floor req/s", "Floor CPU/req ms", "Gateway req/s", "Gateway CPU/req ms", "Gateway ÷ floor", "Ceiling req/s per core, floor / gateway")
	for _, l := range h.Links {
		w.row(l.Link, l.Floor.RPS, l.Floor.ClientCPUMs, l.Gateway.RPS, l.Gateway.GatewayCPUMs, fmt.Sprintf("%.2f ×", l.RatioFloor), perCore(l.Floor.ClientCPUMs)+" / "+perCore(l.Gateway.GatewayCPUMs))
	}
	w.p("")
	if len(h.Open) > 0 {
		r.mdOpenTables(w, h.Open)
	}
}

func (r *runner) mdEmbed(w *mdWriter) {
	e := r.res.Embed
	if e == nil {
		return
	}
	w.p("## 7. Embeddings\n")
	w.p("Closed loop at concurrency %d for %.0f s per way; every request embeds %d short sentences with `%s` (1536 dimensions: about 1.6 MB of JSON per answer).\n", e.Concurrency, e.Seconds, e.Inputs, embedModel)
	w.head("Way", "Requests/s", "p50 ms", "p99 ms", "Errors", "Harness CPU/req ms", "Simulator CPU/req ms", "Gateway CPU/req ms")
	w.row("direct (SDK)", e.Direct.RPS, e.Direct.Latency.P50, e.Direct.Latency.P99, e.Direct.Errors, e.Direct.ClientCPUMs, e.Direct.SimCPUMs, "—")
	w.row("via gateway", e.Gateway.RPS, e.Gateway.Latency.P50, e.Gateway.Latency.P99, e.Gateway.Errors, e.Gateway.ClientCPUMs, e.Gateway.SimCPUMs, e.Gateway.GatewayCPUMs)
	w.p("")
}

func (r *runner) mdStartup(w *mdWriter) {
	s := r.res.Startup
	if s == nil {
		return
	}
	w.p("## 8. Start-up and image size\n")
	w.p("%d starts each. The OCI Function binary is started with the Fn environment (`FN_LISTENER` unix socket, `FN_FORMAT=http-stream`) and resource-principal credentials issued by an in-process simulator (only it can mint the session token); the clock runs from just before exec to the answer of the first call, a chat completion sent the way the Fn agent does as soon as the socket exists. It is timed built by `go build .` (%.1f MB; round 1's measurement) and built as its image ships it. The local server binary (%.1f MB) is timed from exec to its first `/health` 200 (polled every 0.5 ms). There is no direct counterpart: an application using the SDK starts nothing extra. Milliseconds.\n", s.Runs, s.FnBinaryMB, s.GatewayBinaryM)
	w.head("Measure", "Starts", "Errors", "p50", "p90", "p99", "max")
	sum := func(label string, x Summary) { w.row(label, x.N, x.Errors, x.P50, x.P90, x.P99, x.Max) }
	sum("Function (go build): exec → Fn socket listening", s.FnSocket)
	sum("Function (go build): exec → first request served", s.FnFirstServed)
	for _, im := range s.Images {
		if im.Name == "function" && im.FirstServed.N > 0 {
			sum("**Function (image build): exec → first request served**", im.FirstServed)
		}
	}
	sum("Local server: exec → first /health 200", s.LocalHealth)
	w.p("")
	if len(s.Images) > 0 {
		w.p("The images, sized from their layers (no Docker engine here): the base, `gcr.io/distroless/static-debian12:nonroot`, is about %.0f MiB by the distroless project's README (not measured: no registry access here), and the Dockerfile adds one layer, the binary built by `build.sh` as the image's build stage runs it (CRYPTO=boring: BoringCrypto, static, stripped). The layer is measured as a registry stores it (tar, gzip).\n", distrolessStaticMB)
		w.head("Image (Dockerfile target)", "Build", "Binary MB", "Binary layer, gzipped MB", "Image on disk MB", "Pushed / pulled MB")
		for _, im := range s.Images {
			if im.BuildError != "" {
				w.row(im.Target, "`"+im.Command+"`: "+im.BuildError, "—", "—", "—", "—")
				continue
			}
			w.row(im.Target, "`"+im.Command+"`", im.BinaryMB, im.LayerGzMB, fmt.Sprintf("about %.1f", im.ImageMB), fmt.Sprintf("about %.1f", im.PushedMB))
		}
		w.p("")
	}
}

func (r *runner) mdSigning(w *mdWriter) {
	s := r.res.Signing
	if s == nil {
		return
	}
	w.p("## 9. Signing options\n")
	w.p("Every OCI call is signed with RSA-2048, the largest part of the gateway's CPU per request. The same closed loop as scenario 2 (concurrency %d, %.0f s per way) runs against each build of the gateway, each beside the floor built with the same crypto, all taking turns in %d segments. C compiler: %s. Signatures are timed with each build's own crypto (a child process running this harness built the same way: as is for pure Go, with `GOEXPERIMENT=boringcrypto` for boringcrypto), idle before each segment and under load during it.\n", s.Concurrency, s.Seconds, segments, s.GCC)
	w.head("Build", "Command", "Builds", "Runs", "Binary MB", "What the binary is", "Requests/s", "Floor CPU/req ms", "Gateway CPU/req ms", "**Gateway ÷ floor**", "Signature CPU ms, under load / idle", "Gateway ÷ signature")
	for _, v := range s.Variants {
		rps, fcpu, cpu, rf, sig, ratio := "—", "—", "—", "—", "—", "—"
		if v.Gateway != nil {
			rps, cpu = f3(v.Gateway.RPS), f3(v.Gateway.GatewayCPUMs)
		}
		if v.Floor != nil {
			fcpu = f3(v.Floor.ClientCPUMs)
		}
		if v.RatioFloor > 0 {
			rf = fmt.Sprintf("**%.2f ×**", v.RatioFloor)
		}
		if v.SignLoad != nil && v.SignIdle != nil {
			sig = f3(v.SignLoad.CPUPerSigMs) + " / " + f3(v.SignIdle.CPUPerSigMs)
		}
		if v.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f ×", v.Ratio)
		}
		w.row(v.Name, "`"+v.Command+"`", yes(v.BuildOK), yes(v.Runs), v.BinaryMB, v.Verified, rps, fcpu, cpu, rf, sig, ratio)
	}
	w.p("")
	for _, v := range s.Variants {
		if v.BuildError != "" {
			w.p("- %s: `%s`", v.Name, v.BuildError)
		}
	}
	w.p("")
}

func (r *runner) mdSoak(w *mdWriter) {
	s := r.res.Soak
	if s == nil {
		return
	}
	w.p("## 10. Soak\n")
	w.p("%.0f s at %d requests/s against an in-process simulator (5 ms per token, 20-token answers): half the requests stream; %.0f %% of the clients hang up after the first chunks; before %.0f %% of the requests the simulator is told to answer the next call with 429, which the gateway retries (max_retries 2, backoff with jitter). A request counts as lost if a client that stayed got anything but a complete answer, other than a 429 after every retry (which OCI would not have served either). Goroutines come from the gateway's /metrics, RSS from /proc, the end figures 3 s after the last request.\n",
		s.Seconds, s.Rate, 100*s.DropShare, 100*s.ThrottleShare)
	w.head("Sent", "Completed", "Client hung up", "429 after retries", "Lost", "429s injected", "Gateway retries", "Goroutines idle → end", "RSS start → end MB (peak)", "Open streams at end")
	w.row(s.Sent, s.Completed, s.Disconnected, s.Throttled, s.Lost, s.Injected429, s.Retries,
		fmt.Sprintf("%.0f → %.0f", s.GoroutinesIdle, s.GoroutinesEnd), fmt.Sprintf("%.1f → %.1f (%.1f)", s.RSSStartMB, s.RSSEndMB, s.RSSPeakMB), s.OpenStreamsEnd)
	if s.FirstLoss != "" {
		w.p("\nFirst loss: `%s`", s.FirstLoss)
	}
	w.p("")
}
