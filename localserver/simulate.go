package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/ociai/ociai-proxy/config"
	"github.com/ociai/ociai-proxy/ocisim"
)

// simulatorKey is the API key of a -simulate run without a config file, so README examples work as written.
const simulatorKey = "sk-simulator"

// simulatorModels are served by -simulate when no config file names models.
const simulatorModels = "grok-4=xai.grok-4,grok-3-mini=xai.grok-3-mini,llama-3.3=meta.llama-3.3-70b-instruct," +
	"gpt-oss-120b=openai.gpt-oss-120b,gemini-2.5-flash=google.gemini-2.5-flash," +
	"command-a=cohere.command-a-03-2025,command-a-vision=cohere.command-a-vision-07-2025,embed-v4=cohere.embed-v4.0"

// simulation is the built-in OCI simulator on a loopback port with a throwaway identity.
type simulation struct {
	srv    *http.Server
	dir    string
	values map[string]string
}

func startSimulator(ctx context.Context, configPath string) (*simulation, error) {
	id, err := ocisim.NewIdentity()
	if err != nil {
		return nil, err
	}
	sim := ocisim.New(ocisim.Options{TokenDelay: 20 * time.Millisecond})
	sim.AddIdentity(id)
	dir, err := os.MkdirTemp("", "ociai-sim-")
	if err != nil {
		return nil, err
	}
	keyFile := filepath.Join(dir, "sim_key.pem")
	if err := os.WriteFile(keyFile, id.PrivateKeyPEM, 0o600); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &simulation{srv: &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}, dir: dir}
	go func() { _ = s.srv.Serve(ln) }()
	s.values = map[string]string{
		"OCIAI_AUTH": "api_key", "OCIAI_USER": id.User, "OCIAI_TENANCY": id.Tenancy, "OCIAI_FINGERPRINT": id.Fingerprint,
		"OCIAI_KEY_FILE": keyFile, "OCIAI_PRIVATE_KEY": "", "OCIAI_PASS_PHRASE": "", "OCIAI_REGION": "us-chicago-1",
		"OCIAI_ENDPOINT": "http://" + ln.Addr().String(), "OCIAI_COMPARTMENT_ID": id.Tenancy,
	}
	if _, err := os.Stat(configPath); errors.Is(err, fs.ErrNotExist) {
		s.values["OCIAI_MODELS"] = simulatorModels
		s.values["OCIAI_API_KEY"] = simulatorKey
	}
	fmt.Printf("OCI simulator on %s (no OCI account used)\n", s.values["OCIAI_ENDPOINT"])
	return s, nil
}

// getenv answers the simulator's identity first, then the real environment (so OCIAI_MODELS or OCIAI_API_KEY
// set by the user still win over the defaults).
func (s *simulation) getenv(k string) string {
	if v, ok := os.LookupEnv(k); ok && (k == "OCIAI_MODELS" || k == "OCIAI_API_KEY") {
		return v
	}
	if v, ok := s.values[k]; ok {
		return v
	}
	return os.Getenv(k)
}

// redirect points every region the configuration uses at the simulator, so that nothing reaches OCI.
func (s *simulation) redirect(cfg *config.Config) {
	url := s.values["OCIAI_ENDPOINT"]
	cfg.Endpoint = url
	if cfg.Endpoints == nil {
		cfg.Endpoints = map[string]string{}
	}
	for r := range cfg.Endpoints {
		cfg.Endpoints[r] = url
	}
	for _, m := range cfg.Models {
		for _, t := range m.Targets {
			cfg.Endpoints[t.Region] = url
		}
	}
}

func (s *simulation) close() {
	_ = s.srv.Close()
	_ = os.RemoveAll(s.dir)
}
