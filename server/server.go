// Package server is the gateway as a long-running HTTP server: the command line, start-up checks, the
// built-in simulator of -simulate, TLS and graceful shutdown. cmd/ociai-proxy and localserver are its mains.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/ociai/ociai-proxy/bodydeadline"
	"github.com/ociai/ociai-proxy/config"
	"github.com/ociai/ociai-proxy/gateway"
)

// Main runs the command with os.Args and exits: 0 after a clean shutdown (or -h, -version), 1 with one line
// on stderr when it cannot start or fails.
func Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, errHelp) {
		fmt.Fprintln(os.Stderr, program+":", err)
		os.Exit(1)
	}
}

// Run serves until ctx ends, then shuts down gracefully. Notices meant for the user (a generated key, what
// -simulate serves) go to stdout; the log goes to stderr.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.version {
		_, err := fmt.Fprintln(stdout, gateway.VersionLine(program))
		return err
	}
	// Bind first: a port in use is a command-line problem, reported before the configuration is read.
	ln, err := net.Listen("tcp", net.JoinHostPort(o.host, strconv.Itoa(o.port)))
	if err != nil {
		return fmt.Errorf("-port %d: %w", o.port, err)
	}
	defer ln.Close()

	getenv := os.Getenv
	var sim *simulation
	if o.simulate {
		if sim, err = newSimulation(o.config); err != nil {
			return err
		}
		defer sim.close() // after the server's shutdown below: in-flight simulated streams finish first
		getenv = sim.getenv
	}
	res, err := config.Load(o.config, getenv)
	if err != nil {
		return err
	}
	if sim != nil {
		if err := sim.start(res.Config); err != nil {
			return err
		}
		sim.explain(stdout, res.Config)
	}
	hint := ""
	if sim != nil {
		hint = "This gateway runs with -simulate; its key: " + sim.keyHint(res.Config) + "."
	}
	cfg := res.Config
	gw, log, err := newGateway(res, stdout, getenv, hint)
	if err != nil {
		return err
	}
	defer flushTraces(gw, log)
	defer background(ctx, gw)()
	limits := bodydeadline.Limits{Idle: cfg.BodyIdleTimeout, Total: cfg.BodyReadTimeout}
	servers := []listener{{name: "listening", path: "/v1", ln: ln, srv: newServer(gw.Handler, limits, o.tls, log)}}
	if cfg.Metrics && cfg.MetricsListen != "" {
		mln, err := net.Listen("tcp", cfg.MetricsListen)
		if err != nil {
			return fmt.Errorf("metrics_listen: %w", err)
		}
		defer mln.Close()
		servers = append(servers, listener{name: "metrics", path: "/metrics", ln: mln,
			srv: newServer(gw.Handler.MetricsHandler(), limits, nil, log)})
	}
	return serve(ctx, log, o.shutdown, servers)
}

// newGateway builds the gateway from the loaded configuration, telling the operator about a generated key.
func newGateway(res *config.LoadResult, stdout io.Writer, getenv func(string) string, authHint string) (*gateway.Gateway, *slog.Logger, error) {
	cfg := res.Config
	log := gateway.NewLogger(cfg.LogLevel)
	slog.SetDefault(log)
	if res.GeneratedKey != "" {
		if err := announceKey(stdout, log, res.GeneratedKey, cfg.Path); err != nil {
			return nil, nil, err
		}
	}
	log.Info("models loaded", "count", len(cfg.Models), "names", cfg.ModelNames())
	if limit, source := gateway.ApplyMemoryLimit(os.Getenv); limit > 0 {
		log.Info("memory limit", "bytes", limit, "from", source)
	}
	gw, err := gateway.New(cfg, gateway.Options{Logger: log, AuthHint: authHint, MetricsElsewhere: cfg.Metrics && cfg.MetricsListen != "", Getenv: getenv})
	if err != nil {
		return nil, nil, err
	}
	log.Info("OCI Generative AI", "region", gw.Region, "endpoint", gw.Endpoint, "auth", string(cfg.Auth))
	log.Info("OCI client ready", "version", gateway.Version)
	return gw, log, nil
}

// flushTraces sends the spans not exported yet, once the servers have stopped.
func flushTraces(gw *gateway.Gateway, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := gw.Shutdown(ctx); err != nil {
		log.Warn("traces not sent", "error", err)
	}
}

// newServer is an HTTP server with the gateway's connection limits: headers within 10 s, request bodies at the
// pace of limits, and no write timeout, which would cut long streams (the handler bounds OCI calls itself).
// It serves HTTPS when tlsConfig is set.
func newServer(h http.Handler, limits bodydeadline.Limits, tlsConfig *tls.Config, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           bodydeadline.Handler(h, limits),
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// listener is one server and where it listens: the API, and /metrics when it has an address of its own.
type listener struct {
	name, path string
	ln         net.Listener
	srv        *http.Server
}

// background runs the gateway's background work (the Vault key refresh) until ctx ends or the returned function
// is called; that function also waits for it, so nothing outlives the server.
func background(ctx context.Context, gw *gateway.Gateway) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); gw.Run(ctx) }()
	return func() { cancel(); <-done }
}

// serve runs every server on its listener until ctx ends or a server fails, then lets in-flight requests
// finish for up to grace.
func serve(ctx context.Context, log *slog.Logger, grace time.Duration, servers []listener) error {
	errc := make(chan error, len(servers))
	for _, l := range servers {
		scheme := "http"
		if l.srv.TLSConfig != nil {
			scheme = "https"
		}
		log.Info(l.name, "url", fmt.Sprintf("%s://%s%s", scheme, displayAddr(l.ln.Addr()), l.path))
		go func() {
			if l.srv.TLSConfig != nil {
				errc <- l.srv.ServeTLS(l.ln, "", "") // the pair loaded at start-up
			} else {
				errc <- l.srv.Serve(l.ln)
			}
		}()
	}
	var failed error
	select {
	case failed = <-errc:
	case <-ctx.Done():
		log.Info("shutting down", "grace", grace.String())
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	for _, l := range servers {
		if err := l.srv.Shutdown(sctx); err != nil {
			_ = l.srv.Close()
		}
	}
	if failed != nil {
		return failed
	}
	for range servers {
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	return nil
}

// defaultHost is loopback unless OCIAI_HOST names another address: on a laptop the gateway, which spends its
// owner's OCI money, is then not offered to the whole network; the container image sets OCIAI_HOST=0.0.0.0.
func defaultHost(getenv func(string) string) string {
	if h := getenv("OCIAI_HOST"); h != "" {
		return h
	}
	return "127.0.0.1"
}

func displayAddr(a net.Addr) string {
	host, port, _ := net.SplitHostPort(a.String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
