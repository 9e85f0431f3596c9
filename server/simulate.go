package server

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/ociai/ociai-proxy/config"
	"github.com/ociai/ociai-proxy/ocisim"
)

// simulatorKey is the API key of a -simulate run without a config file, so README examples work as written.
const simulatorKey = "sk-simulator"

// simulatorModels are served by -simulate when no config file names models. grok-4 is pooled over two regions
// taking turns, so that every run shows regions as one pool (the request log lines name the region).
const simulatorModels = "grok-4=xai.grok-4@us-chicago-1,xai.grok-4@us-phoenix-1,grok-4.strategy=spread," +
	"grok-3-mini=xai.grok-3-mini,llama-3.3=meta.llama-3.3-70b-instruct," +
	"gpt-oss-120b=openai.gpt-oss-120b,gemini-2.5-flash=google.gemini-2.5-flash," +
	"command-a=cohere.command-a-03-2025,command-a-vision=cohere.command-a-vision-07-2025,embed-v4=cohere.embed-v4.0"

// simulation is the built-in OCI simulator on a loopback port with a throwaway identity. The identity's key
// is handed over in memory (OCIAI_PRIVATE_KEY), so nothing is written to disk and nothing is left behind.
type simulation struct {
	ln      net.Listener // the default region's simulator listens here
	id      ocisim.Identity
	srvs    []*http.Server
	regions []string          // the regions played, the default one first
	urls    map[string]string // their simulators' base URLs
	values  map[string]string // the OCIAI_* settings it answers before the real environment
	sample  bool              // no config file: the sample models and key are in use
}

// newSimulation creates the identity and the simulator's listener; start serves it once the region is known.
func newSimulation(configPath string) (*simulation, error) {
	id, err := ocisim.NewIdentity()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("-simulate: %w", err)
	}
	s := &simulation{ln: ln, id: id, values: map[string]string{
		"OCIAI_AUTH": "api_key", "OCIAI_USER": id.User, "OCIAI_TENANCY": id.Tenancy, "OCIAI_FINGERPRINT": id.Fingerprint,
		"OCIAI_PRIVATE_KEY": string(id.PrivateKeyPEM), "OCIAI_KEY_FILE": "", "OCIAI_PASS_PHRASE": "",
		"OCIAI_ENDPOINT": "", "OCIAI_COMPARTMENT_ID": id.Tenancy, // the endpoints are the simulators' (start)
	}}
	if _, err := os.Stat(configPath); errors.Is(err, fs.ErrNotExist) {
		s.sample = true
		s.values["OCIAI_MODELS"] = simulatorModels
		s.values["OCIAI_API_KEY"] = simulatorKey
		s.values["OCIAI_REGION"] = ocisim.DefaultRegion
	}
	return s, nil
}

// userSettable are the settings of a sample run the user's own environment still overrides.
var userSettable = []string{"OCIAI_MODELS", "OCIAI_API_KEY", "OCIAI_REGION"}

// getenv answers the simulator's identity first, then the real environment (so OCIAI_MODELS, OCIAI_API_KEY or
// OCIAI_REGION set by the user still win over the sample defaults).
func (s *simulation) getenv(k string) string {
	if v, ok := os.LookupEnv(k); ok && v != "" && slices.Contains(userSettable, k) {
		return v
	}
	if v, ok := s.values[k]; ok {
		return v
	}
	return os.Getenv(k)
}

// start serves a simulator for every region the configuration uses, each playing its region (its on-demand
// models and dedicated endpoints, as OCI would), and points the configuration at them: the default region at
// the listener opened first, every other region (a target's @region, an [ENDPOINTS] entry) at a loopback port
// of its own. A model pooled over regions can so be tried offline, each region failing on its own.
func (s *simulation) start(cfg *config.Config) error {
	s.urls = map[string]string{}
	s.serve(cfg.Region, s.ln)
	cfg.Endpoint = s.urls[cfg.Region]
	used := slices.Sorted(maps.Keys(cfg.Endpoints))
	for _, m := range cfg.Models {
		for _, t := range m.Targets {
			used = append(used, t.Region)
		}
	}
	for _, r := range used {
		if _, ok := s.urls[r]; ok || r == "" {
			continue
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("-simulate: %w", err)
		}
		s.serve(r, ln)
		if cfg.Endpoints == nil {
			cfg.Endpoints = map[string]string{}
		}
		cfg.Endpoints[r] = s.urls[r]
	}
	return nil
}

// serve runs a simulator playing region on ln.
func (s *simulation) serve(region string, ln net.Listener) {
	sim := ocisim.New(ocisim.Options{TokenDelay: 20 * time.Millisecond, Region: region})
	sim.AddIdentity(s.id)
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	s.srvs, s.regions = append(s.srvs, srv), append(s.regions, region)
	s.urls[region] = "http://" + ln.Addr().String()
}

// close stops the simulators; after a failed start it releases the listener.
func (s *simulation) close() {
	if len(s.srvs) == 0 {
		_ = s.ln.Close()
	}
	for _, srv := range s.srvs {
		_ = srv.Close()
	}
}

// explain says what the simulated gateway serves and which key to use.
func (s *simulation) explain(w io.Writer, cfg *config.Config) {
	fmt.Fprintf(w, "-simulate: the built-in OCI simulator on %s plays %s; no OCI account is used and answers are canned.\n",
		s.urls[s.regions[0]], s.regions[0])
	for _, r := range s.regions[1:] {
		fmt.Fprintf(w, "-simulate: and on %s plays %s.\n", s.urls[r], r)
	}
	names := strings.Join(cfg.ModelNames(), ", ")
	switch {
	case s.sample && os.Getenv("OCIAI_MODELS") == "":
		fmt.Fprintf(w, "Sample models (there is no %s): %s\n", config.DefaultPath, names)
	case cfg.Path != "":
		fmt.Fprintf(w, "Models from %s: %s\n", cfg.Path, names)
	default:
		fmt.Fprintf(w, "Models from OCIAI_MODELS: %s\n", names)
	}
	fmt.Fprintf(w, "API key: %s\n", s.keyHint(cfg))
}

// keyHint names the key clients must send: the sample key itself, or where the configured one is.
func (s *simulation) keyHint(cfg *config.Config) string {
	switch {
	case os.Getenv("OCIAI_API_KEY") != "":
		return "the one in OCIAI_API_KEY"
	case s.sample:
		return simulatorKey
	case cfg.Path != "":
		return "the api_key in " + cfg.Path
	}
	return "the one printed above"
}
