// Package server is the gateway as a long-running HTTP server: the command line, start-up checks, the
// built-in simulator of -simulate, TLS and graceful shutdown. cmd/ociai-proxy and localserver are its mains.
package server

import (
	"context"
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
		sim.start(res.Config.Region)
		sim.explain(stdout, res.Config)
	}
	hint := ""
	if sim != nil {
		hint = "This gateway runs with -simulate; its key: " + sim.keyHint(res.Config) + "."
	}
	srv, gw, log, err := newServer(res, stdout, o, hint)
	if err != nil {
		return err
	}
	defer background(ctx, gw)()
	scheme := "http"
	if o.tls != nil {
		scheme = "https"
	}
	log.Info("listening", "url", fmt.Sprintf("%s://%s/v1", scheme, displayAddr(ln.Addr())))
	return serve(ctx, srv, ln, o, log)
}

// newServer builds the gateway from the loaded configuration and the HTTP server around it.
func newServer(res *config.LoadResult, stdout io.Writer, o *options, authHint string) (*http.Server, *gateway.Gateway, *slog.Logger, error) {
	cfg := res.Config
	log := gateway.NewLogger(cfg.LogLevel)
	slog.SetDefault(log)
	if res.GeneratedKey != "" {
		where := "not saved: no config file; set api_key or OCIAI_API_KEY to keep it"
		if cfg.Path != "" {
			where = "saved to " + cfg.Path
		}
		fmt.Fprintf(stdout, "Generated API key (%s):\n\n    %s\n\n", where, res.GeneratedKey)
	}
	log.Info("models loaded", "count", len(cfg.Models), "names", cfg.ModelNames())
	if limit, source := gateway.ApplyMemoryLimit(os.Getenv); limit > 0 {
		log.Info("memory limit", "bytes", limit, "from", source)
	}
	gw, err := gateway.New(cfg, gateway.Options{Logger: log, AuthHint: authHint})
	if err != nil {
		return nil, nil, nil, err
	}
	log.Info("OCI Generative AI", "region", gw.Region, "endpoint", gw.Endpoint, "auth", string(cfg.Auth))
	log.Info("OCI client ready", "version", gateway.Version)
	return &http.Server{
		Handler:           gw.Handler,
		TLSConfig:         o.tls,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		// No WriteTimeout: it would cut long streams; the handler bounds OCI calls itself.
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}, gw, log, nil
}

// background runs the gateway's background work (the Vault key refresh) until ctx ends or the returned function
// is called; that function also waits for it, so nothing outlives the server.
func background(ctx context.Context, gw *gateway.Gateway) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); gw.Run(ctx) }()
	return func() { cancel(); <-done }
}

// serve runs srv on ln until it fails or ctx ends; then in-flight requests get o.shutdown to finish.
func serve(ctx context.Context, srv *http.Server, ln net.Listener, o *options, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() {
		if srv.TLSConfig != nil {
			errc <- srv.ServeTLS(ln, "", "") // the pair loaded at start-up
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", o.shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func displayAddr(a net.Addr) string {
	host, port, _ := net.SplitHostPort(a.String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
