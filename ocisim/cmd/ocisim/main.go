// Command ocisim runs the OCI Generative AI simulator as a standalone
// server, for benchmarks that want it in a separate process.
//
// It creates a fresh API-key identity, writes its private key (0600) to
// -key-file and prints one JSON line {url, tenancy, user, fingerprint,
// key_file, region} on stdout, then serves until SIGINT/SIGTERM. With
// -tls-ca-file it serves HTTPS (HTTP/2 or HTTP/1.1 by ALPN, as OCI's endpoints
// are TLS) with a fresh self-signed certificate written to that file for
// clients to trust.
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ociai/ociai-proxy/ocisim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run serves until ctx ends; the JSON line goes to stdout.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("ocisim", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	keyFile := fs.String("key-file", "", "where to write the private key PEM (default: a new file in the temp dir)")
	latency := fs.Duration("latency", 0, "delay before response headers")
	tokenDelay := fs.Duration("token-delay", 0, "pause between streamed events")
	omitDone := fs.Bool("omit-done", false, "do not send data: [DONE] at the end of streams")
	maxRecorded := fs.Int("max-recorded", -1, "requests kept in memory for inspection (-1: none)")
	verbose := fs.Bool("v", false, "log rejected requests to stderr")
	region := fs.String("region", ocisim.DefaultRegion, "OCI region to play: only its on-demand models and dedicated endpoints are served")
	caFile := fs.String("tls-ca-file", "", "serve HTTPS and write the self-signed certificate (PEM) here")
	if err := fs.Parse(args); err != nil {
		return err
	}

	id, err := ocisim.NewIdentity()
	if err != nil {
		return err
	}
	path := *keyFile
	if path == "" {
		f, err := os.CreateTemp("", "ocisim-*.pem")
		if err != nil {
			return err
		}
		path = f.Name()
		f.Close()
	}
	if path, err = filepath.Abs(path); err != nil {
		return err
	}
	if err := os.WriteFile(path, id.PrivateKeyPEM, 0o600); err != nil {
		return err
	}
	if err := os.Chmod(path, 0o600); err != nil { // WriteFile keeps an existing file's mode
		return err
	}

	opts := ocisim.Options{Latency: *latency, TokenDelay: *tokenDelay, OmitDone: *omitDone, MaxRecorded: *maxRecorded, Region: *region}
	if *verbose {
		opts.Logf = log.Printf
	}
	sim := ocisim.New(opts)
	sim.AddIdentity(id)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if *caFile != "" {
		cert, certPEM, err := ocisim.ServingCert()
		if err == nil {
			err = os.WriteFile(*caFile, certPEM, 0o644)
		}
		if err != nil {
			ln.Close()
			return err
		}
		// NextProtos as net/http's ServeTLS would set them: HTTP/2 first, then HTTP/1.1.
		ln, scheme = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}}), "https"
	}
	info, _ := json.Marshal(map[string]string{
		"url":         scheme + "://" + ln.Addr().String(),
		"tenancy":     id.Tenancy,
		"user":        id.User,
		"fingerprint": id.Fingerprint,
		"key_file":    path,
		"region":      sim.Region(),
	})
	if _, err := fmt.Fprintln(stdout, string(info)); err != nil {
		ln.Close()
		return err
	}

	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if srv.Shutdown(shut) != nil {
			srv.Close() // held streams never finish on their own
		}
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	<-done
	return nil
}
