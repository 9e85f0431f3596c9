// Package gateway assembles the OCI region pool and the HTTP handler from a loaded configuration; the local server
// and the OCI Function entry share it so both run the very same gateway.
package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/prometheus/client_golang/prometheus"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/ociai/ociai-proxy/config"
	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/ocigenai"
	"github.com/ociai/ociai-proxy/ocigenai/poolmetrics"
)

// Gateway is a ready handler plus what start-up logs report.
type Gateway struct {
	Handler  *handler.Handler
	Endpoint string // of the default region
	Region   string // the default region

	vault  *vaultKeys               // nil without api_key_secret_ocid
	traces *sdktrace.TracerProvider // nil unless tracing is configured
}

// Run does the gateway's background work until ctx ends: it re-reads the client keys from the OCI Vault secret
// when one is configured, and returns at once otherwise.
func (g *Gateway) Run(ctx context.Context) {
	if g.vault != nil {
		g.vault.run(ctx)
	}
}

// Shutdown sends the spans not exported yet; call it when the server has stopped.
func (g *Gateway) Shutdown(ctx context.Context) error {
	if g.traces == nil {
		return nil
	}
	return g.traces.Shutdown(ctx)
}

// Options adjust how the handler runs in a given host.
type Options struct {
	Logger         *slog.Logger
	ForceNonStream bool   // the host buffers responses (OCI Functions): stream answers are synthesised
	NoCORS         bool   // the host's front door (OCI API Gateway) answers CORS
	AuthHint       string // added to 401 messages to say where the key is (-simulate)
	// MetricsElsewhere: the host serves /metrics on its own listener (Handler.MetricsHandler), not with the API.
	MetricsElsewhere bool
	// Getenv reads OpenTelemetry's OTEL_* variables (default os.Getenv), which switch trace export on. The OTLP
	// exporter itself reads the process environment.
	Getenv func(string) string
}

// New builds the OCI identity (parsing keys once), the region pool every model is routed through, the trace
// exporter when configured, and the handler; with api_key_secret_ocid it also reads the client keys from OCI
// Vault, and fails when it cannot.
func New(cfg *config.Config, opt Options) (*Gateway, error) {
	creds, err := credentials(cfg)
	if err != nil {
		return nil, err
	}
	id, err := ocigenai.NewIdentity(creds)
	if err != nil {
		return nil, err
	}
	region := cfg.Region
	if region == "" {
		region = id.Region
	}
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = ocigenai.RegionalEndpoint(region)
	}
	compartment := cfg.CompartmentID
	if compartment == "" {
		compartment = id.Compartment
	}
	if compartment == "" {
		return nil, fmt.Errorf("no compartment: set compartment_id (OCIAI_COMPARTMENT_ID)")
	}
	hm, err := models(cfg, region, endpoint)
	if err != nil {
		return nil, err
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	keySet := handler.NewKeySet(keys(cfg.APIKeys))
	var vault *vaultKeys
	if cfg.APIKeySecretOCID != "" {
		if vault, err = newVaultKeys(cfg, id.Keys, region, keySet, opt.Logger); err != nil {
			return nil, err
		}
	}
	g := &Gateway{Endpoint: endpoint, Region: region, vault: vault}
	pool, err := g.newPool(cfg, id, opt.Getenv)
	if err != nil {
		return nil, err
	}
	hopt := handler.Options{
		Models:              hm,
		KeySet:              keySet,
		AuthViaGateway:      cfg.AuthViaGateway,
		CompartmentID:       compartment,
		DefaultMaxTokens:    cfg.DefaultMaxTokens,
		ForceNonStream:      cfg.ForceNonStream || opt.ForceNonStream,
		CORSOrigins:         cfg.CORSOrigins,
		NoCORS:              opt.NoCORS,
		MaxConcurrentPerKey: cfg.MaxConcurrentPerKey,
		MaxEmbeddingInputs:  cfg.MaxEmbeddingInputs,
		Metrics:             cfg.Metrics,
		MetricsKey:          cfg.MetricsKey,
		MetricsElsewhere:    opt.MetricsElsewhere,
		Collectors:          []prometheus.Collector{poolmetrics.New(pool)},
		MaxBodyBytes:        cfg.MaxBodyBytes,
		RequestTimeout:      cfg.RequestTimeout,
		StreamIdleTimeout:   cfg.StreamIdleTimeout,
		Logger:              opt.Logger,
		LogPrompts:          cfg.LogPrompts,
		Version:             Version,
		Region:              region,
		AuthHint:            opt.AuthHint,
		Pool:                pool,
	}
	if g.traces != nil {
		hopt.Tracing = g.traces
	}
	if g.Handler, err = handler.New(hopt); err != nil {
		return nil, err
	}
	pool.OnRetry = g.Handler.RetryHook() // counts retries in the metrics (nil when they are off)
	return g, nil
}

// newPool is the region pool every model is routed through, signing as id, with the configured retries and, when
// the OTEL_* variables ask for it, the trace exporter (kept in g, to be flushed by Shutdown).
func (g *Gateway) newPool(cfg *config.Config, id *ocigenai.Identity, getenv func(string) string) (*ocigenai.Pool, error) {
	popt := ocigenai.PoolOptions{
		// The only retry layer: the SDK's generated clients (and their retry policy and circuit breaker) are not used.
		Retry: ocigenai.RetryPolicy{MaxRetries: cfg.MaxRetries, BaseDelay: ocigenai.DefaultBaseDelay, MaxDelay: ocigenai.DefaultMaxDelay},
	}
	var err error
	if g.traces, err = newTraces(getenv); err != nil {
		return nil, err
	}
	if g.traces != nil {
		popt.Tracing = g.traces
	}
	return ocigenai.NewPool(id.Keys, popt), nil
}

func credentials(cfg *config.Config) (ocigenai.Credentials, error) {
	c := ocigenai.Credentials{
		Mode: string(cfg.Auth), Tenancy: cfg.Tenancy, User: cfg.User, Fingerprint: cfg.Fingerprint, Region: cfg.Region,
		PassPhrase: cfg.PassPhrase, ConfigFile: cfg.OCIConfigFile, Profile: cfg.Profile,
	}
	if cfg.Auth == config.AuthAPIKey || cfg.Auth == "" {
		if cfg.PrivateKey != "" {
			c.PrivateKeyPEM = []byte(cfg.PrivateKey)
		} else {
			pem, err := os.ReadFile(cfg.KeyFile)
			if err != nil {
				return c, fmt.Errorf("read key_file: %w", err)
			}
			c.PrivateKeyPEM = pem
		}
	}
	return c, nil
}

// models maps the configured models to the handler's, each target with its region and that region's endpoint.
// Targets of the default region use its endpoint (the configured one, else the regional one of the region the
// principal reports at run time).
func models(cfg *config.Config, region, endpoint string) ([]handler.Model, error) {
	out := make([]handler.Model, len(cfg.Models))
	for i, m := range cfg.Models {
		hm := handler.Model{Name: m.Name, Strategy: string(m.Strategy), Targets: make([]handler.Target, len(m.Targets))}
		for j, t := range m.Targets {
			ht := handler.Target{ID: t.ID, Format: string(t.Format), Dedicated: t.Dedicated, Region: region, Endpoint: endpoint}
			if t.Region != "" && t.Region != cfg.Region {
				ht.Region, ht.Endpoint = t.Region, cfg.EndpointFor(t.Region)
			}
			if ht.Endpoint == "" {
				return nil, fmt.Errorf("model %s: no OCI endpoint for %s: set region (or endpoint), or the region's endpoint in [ENDPOINTS]", m.Name, t)
			}
			hm.Targets[j] = ht
		}
		out[i] = hm
	}
	return out, nil
}

func keys(in []config.APIKey) []handler.Key {
	out := make([]handler.Key, len(in))
	for i, k := range in {
		out[i] = handler.Key{Name: k.Name, Key: k.Key}
	}
	return out
}

// NewLogger is the gateway's slog logger at the configured level (text, to stderr).
func NewLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
