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

	"github.com/ociai/ociai-proxy/bodydeadline"
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
	host := flag.String("host", defaultHost(os.Getenv), "address to listen on: 127.0.0.1 (loopback only) unless OCIAI_HOST says otherwise; 0.0.0.0 for every interface")
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
	if *simulate {
		sim, err := startSimulator(ctx, *path)
		if err != nil {
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
	log := gateway.NewLogger(cfg.LogLevel)
	slog.SetDefault(log)
	if res.GeneratedKey != "" {
		if err := announceKey(os.Stdout, log, res.GeneratedKey, cfg.Path); err != nil {
			return err
		}
	}
	log.Info("models loaded", "count", len(cfg.Models), "names", cfg.ModelNames())
	if limit, source := gateway.ApplyMemoryLimit(os.Getenv); limit > 0 {
		log.Info("memory limit", "bytes", limit, "from", source)
	}

	gw, err := gateway.New(cfg, gateway.Options{Logger: log, MetricsElsewhere: cfg.Metrics && cfg.MetricsListen != ""})
	if err != nil {
		return err
	}
	log.Info("OCI Generative AI", "region", gw.Region, "endpoint", gw.Endpoint, "auth", string(cfg.Auth))
	log.Info("OCI client ready", "version", gateway.Version)
	defer background(ctx, gw)()

	limits := bodydeadline.Limits{Idle: cfg.BodyIdleTimeout, Total: cfg.BodyReadTimeout}
	servers := []listener{{name: "listening", addr: net.JoinHostPort(*host, strconv.Itoa(*port)), path: "/v1",
		srv: newServer(gw.Handler, limits, log), cert: *tlsCert, key: *tlsKey}}
	if cfg.Metrics && cfg.MetricsListen != "" {
		servers = append(servers, listener{name: "metrics", addr: cfg.MetricsListen, path: "/metrics",
			srv: newServer(gw.Handler.MetricsHandler(), limits, log)})
	}
	return serve(ctx, log, *shutdown, servers)
}

// newServer is an HTTP server with the gateway's connection limits: headers within 10 s, request bodies at the
// pace of limits, and no write timeout, which would cut long streams (the handler bounds OCI calls itself).
func newServer(h http.Handler, limits bodydeadline.Limits, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           bodydeadline.Handler(h, limits),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// listener is one server and where it listens: the API, and /metrics when it has an address of its own.
type listener struct {
	name, addr, path string
	srv              *http.Server
	cert, key        string // TLS files, for HTTPS
}

// serve listens on every address first (so that a taken port fails the start), serves until ctx ends or a
// server fails, then lets in-flight requests finish for up to grace.
func serve(ctx context.Context, log *slog.Logger, grace time.Duration, servers []listener) error {
	lns := make([]net.Listener, len(servers))
	for i, l := range servers {
		ln, err := net.Listen("tcp", l.addr)
		if err != nil {
			for _, open := range lns[:i] {
				open.Close()
			}
			return err
		}
		lns[i] = ln
	}
	errc := make(chan error, len(servers))
	for i, l := range servers {
		scheme := "http"
		if l.cert != "" {
			scheme = "https"
		}
		log.Info(l.name, "url", fmt.Sprintf("%s://%s%s", scheme, displayAddr(lns[i].Addr()), l.path))
		go func() {
			if l.cert != "" {
				errc <- l.srv.ServeTLS(lns[i], l.cert, l.key)
			} else {
				errc <- l.srv.Serve(lns[i])
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
