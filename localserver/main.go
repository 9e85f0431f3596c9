// Command localserver runs the OCI AI Proxy gateway as a long-running HTTP server:
//
//	go run ./localserver [-port 8080] [-config config.conf] [-simulate]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
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

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ociai-proxy:", err)
		os.Exit(1)
	}
}

func run() error {
	port := flag.Int("port", 8080, "port to listen on (default $PORT when set, as container platforms do, else 8080)")
	host := flag.String("host", "", "address to listen on (default all interfaces; 127.0.0.1 for local only)")
	path := flag.String("config", "config.conf", "INI config file (see config.conf.example)")
	simulate := flag.Bool("simulate", false, "serve from the built-in OCI simulator: no OCI account needed")
	tlsCert := flag.String("tls-cert", "", "TLS certificate file (serve HTTPS)")
	tlsKey := flag.String("tls-key", "", "TLS private key file")
	shutdown := flag.Duration("shutdown-timeout", 30*time.Second, "how long in-flight requests may finish on SIGINT/SIGTERM")
	flag.Parse()
	if err := portFromEnv(port); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	getenv := os.Getenv
	var sim *simulation
	if *simulate {
		var err error
		if sim, err = startSimulator(ctx, *path); err != nil {
			return err
		}
		defer sim.close()
		getenv = sim.getenv
	}
	res, err := config.Load(*path, getenv)
	if err != nil {
		return err
	}
	cfg := res.Config
	if sim != nil {
		sim.redirect(cfg)
	}
	log := gateway.NewLogger(cfg.LogLevel)
	slog.SetDefault(log)
	if res.GeneratedKey != "" {
		where := "not saved: no config file; set api_key or OCIAI_API_KEY to keep it"
		if cfg.Path != "" {
			where = "saved to " + cfg.Path
		}
		fmt.Printf("Generated API key (%s):\n\n    %s\n\n", where, res.GeneratedKey)
	}
	log.Info("models loaded", "count", len(cfg.Models), "names", cfg.ModelNames())
	if limit, source := gateway.ApplyMemoryLimit(os.Getenv); limit > 0 {
		log.Info("memory limit", "bytes", limit, "from", source)
	}

	gw, err := gateway.New(cfg, gateway.Options{Logger: log, Getenv: getenv})
	if err != nil {
		return err
	}
	log.Info("OCI Generative AI", "region", gw.Region, "endpoint", gw.Endpoint, "auth", string(cfg.Auth))
	log.Info("OCI client ready", "version", gateway.Version)
	defer background(ctx, gw)()
	err = serve(ctx, log, gw.Handler, net.JoinHostPort(*host, strconv.Itoa(*port)), *tlsCert, *tlsKey, *shutdown)
	tctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if terr := gw.Shutdown(tctx); terr != nil {
		log.Warn("traces not sent", "error", terr)
	}
	return err
}

// serve serves h on addr (HTTPS when tlsCert is set) until ctx ends, then shuts down gracefully within shutdown.
func serve(ctx context.Context, log *slog.Logger, h http.Handler, addr, tlsCert, tlsKey string, shutdown time.Duration) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		// No WriteTimeout: it would cut long streams; the handler bounds OCI calls itself.
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if tlsCert != "" {
		scheme = "https"
	}
	log.Info("listening", "url", fmt.Sprintf("%s://%s/v1", scheme, displayAddr(ln.Addr())))

	errc := make(chan error, 1)
	go func() {
		if tlsCert != "" {
			errc <- srv.ServeTLS(ln, tlsCert, tlsKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// background runs the gateway's background work (the Vault key refresh) until ctx ends or the returned function
// is called; that function also waits for it, so nothing outlives the server.
func background(ctx context.Context, gw *gateway.Gateway) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); gw.Run(ctx) }()
	return func() { cancel(); <-done }
}

// portFromEnv applies $PORT (set by container platforms) unless -port was given.
func portFromEnv(port *int) error {
	v, given := os.Getenv("PORT"), false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "port" })
	if v == "" || given {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("PORT=%q is not a port number (1-65535)", v)
	}
	*port = n
	return nil
}

func displayAddr(a net.Addr) string {
	host, port, _ := net.SplitHostPort(a.String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
