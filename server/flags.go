package server

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ociai/ociai-proxy/config"
)

// program is the command's name in messages and -version.
const program = "ociai-proxy"

// options is the checked command line.
type options struct {
	port              int
	host, config      string
	simulate, version bool
	tlsCert, tlsKey   string
	shutdown          time.Duration

	tls *tls.Config // the loaded -tls-cert/-tls-key pair, nil for plain HTTP
}

// errHelp ends the command successfully after -h printed the usage.
var errHelp = errors.New("help requested")

// parseFlags reads and checks the command line. Everything that needs no configuration is checked here, so a
// mistyped command fails at once with one line naming the flag, before the configuration is read.
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet(program, flag.ContinueOnError)
	fs.IntVar(&o.port, "port", 8080, "port to listen on (0: any free port; default $PORT when set, as container platforms do, else 8080)")
	fs.StringVar(&o.host, "host", defaultHost(os.Getenv), "address to listen on: 127.0.0.1 (loopback only) unless OCIAI_HOST says otherwise; 0.0.0.0 for every interface")
	fs.StringVar(&o.config, "config", config.DefaultPath, "INI config file (see config.conf.example)")
	fs.BoolVar(&o.simulate, "simulate", false, "serve from the built-in OCI simulator: no OCI account needed")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "TLS certificate file (serve HTTPS; needs -tls-key)")
	fs.StringVar(&o.tlsKey, "tls-key", "", "TLS private key file (needs -tls-cert)")
	fs.DurationVar(&o.shutdown, "shutdown-timeout", 30*time.Second, "how long in-flight requests may finish on SIGINT/SIGTERM")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.SetOutput(io.Discard) // errors are returned as one line; only -h prints the usage
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "Usage: %s [flags]\n\nFlags:\n", program)
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return nil, errHelp
		}
		return nil, fmt.Errorf("%v (see -h)", err)
	}
	if fs.NArg() > 0 {
		return nil, strayArgument(fs, fs.Arg(0))
	}
	if o.version {
		return o, nil
	}
	if err := portFromEnv(fs, &o.port); err != nil {
		return nil, err
	}
	if o.port < 0 || o.port > 65535 {
		return nil, fmt.Errorf("-port %d: not a port number (1-65535, or 0 for any free port)", o.port)
	}
	if o.shutdown < 0 {
		return nil, fmt.Errorf("-shutdown-timeout %v: must not be negative", o.shutdown)
	}
	var err error
	o.tls, err = loadTLS(o.tlsCert, o.tlsKey)
	return o, err
}

// portFromEnv applies $PORT (set by container platforms) unless -port was given.
func portFromEnv(fs *flag.FlagSet, port *int) error {
	v, given := os.Getenv("PORT"), false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "port" })
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

// strayArgument explains a word where only flags belong (`ociai-proxy simulate` meant -simulate).
func strayArgument(fs *flag.FlagSet, arg string) error {
	hint := ""
	if name := strings.TrimLeft(arg, "-"); fs.Lookup(name) != nil {
		hint = fmt.Sprintf("; did you mean -%s?", name)
	}
	return fmt.Errorf("unexpected argument %q: %s takes only flags%s (see -h)", arg, program, hint)
}

// loadTLS loads the certificate pair of -tls-cert and -tls-key (nil when neither is set), naming the flag
// at fault.
func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	switch {
	case certFile == "" && keyFile == "":
		return nil, nil
	case keyFile == "":
		return nil, errors.New("-tls-cert is set but -tls-key is not: HTTPS needs both")
	case certFile == "":
		return nil, errors.New("-tls-key is set but -tls-cert is not: HTTPS needs both")
	}
	for _, f := range [][2]string{{"-tls-cert", certFile}, {"-tls-key", keyFile}} {
		if _, err := os.Stat(f[1]); err != nil {
			return nil, fmt.Errorf("%s: %w", f[0], err)
		}
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("-tls-cert %s / -tls-key %s: %w", certFile, keyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}, nil
}
