// Package config loads, validates and resolves the gateway configuration from an
// INI file (see config.conf.example) and OCIAI_* environment variables.
//
// It returns plain values only: it never builds OCI clients and keeps no parsed
// key material. The HTTP handler receives a *Config and never reads files or the
// environment itself.
package config

import (
	"slices"
	"time"

	"github.com/ociai/ociai-proxy/oci"
)

// Auth selects how the gateway authenticates its calls to OCI.
type Auth string

const (
	AuthAPIKey            Auth = "api_key"            // [DEFAULT] user/fingerprint/key_file(or inline key)/tenancy/region
	AuthConfigFile        Auth = "config_file"        // existing OCI CLI config file + profile (incl. security_token_file session profiles)
	AuthInstancePrincipal Auth = "instance_principal" // OCI compute instance identity
	AuthResourcePrincipal Auth = "resource_principal" // OCI Functions (and other resources) identity
)

// Format is the OCI API format of a model: a name from package oci's format table (GENERIC, COHERE, COHEREV2,
// EMBED).
type Format string

// Target is one place a model is served: an OCI model id (ON_DEMAND) or a
// generative AI endpoint OCID (DEDICATED) in one region.
type Target struct {
	ID string
	// Region: the target's `@region`, a dedicated endpoint OCID's region, else
	// Config.Region ("" when only the principal knows it, at run time).
	Region string
	// Format is the explicit override or derived from ID: cohere.command-a-vision* →
	// COHEREV2, cohere.embed* → EMBED, cohere.* → COHERE, else GENERIC. An endpoint
	// OCID without an override is GENERIC.
	Format    Format
	Dedicated bool // ID is an ocid1.generativeaiendpoint… OCID
}

// String is the target as written in the config: model@region.
func (t Target) String() string {
	if t.Region == "" {
		return t.ID
	}
	return t.ID + "@" + t.Region
}

// Strategy says which target of a model with several serves a request.
type Strategy string

const (
	StrategyFailover  Strategy = "failover"   // the first healthy target in the listed order (default)
	StrategySpread    Strategy = "spread"     // round-robin over the healthy targets
	StrategyLeastBusy Strategy = "least-busy" // the healthy target with the fewest requests in flight
)

// Model maps a client-facing model name (an alias) to one or more targets.
// Whatever the strategy, a request that fails on one target before any
// answer byte goes on to the next.
type Model struct {
	Name     string   // the name clients send
	Targets  []Target // at least one; all chat or all EMBED
	Strategy Strategy // the model's `<name>.strategy`, else Config.Strategy
}

// Embed reports whether the model serves /v1/embeddings (its targets are EMBED).
func (m Model) Embed() bool { return len(m.Targets) > 0 && m.Targets[0].embeds() }

func (t Target) embeds() bool { return oci.Lookup(string(t.Format)).Embeds() }

// APIKey is a key gateway clients present, with a name for logs.
// Its String/LogValue never show the key.
type APIKey struct{ Name, Key string }

// Config is the resolved configuration. Printing or logging it (fmt, slog) never
// shows secrets; see Redacted, String and LogValue.
type Config struct {
	Path string // file loaded ("" when configured by the environment only)
	Auth Auth

	// OCI identity (api_key mode). Exactly one of KeyFile and PrivateKey is set in
	// api_key mode; PrivateKey wins when both are configured. KeyFile is an
	// absolute or cwd-relative path with ~ expanded; a relative key_file in the
	// config file is resolved against the file's directory. Region is the
	// canonical SDK name (short codes like "fra" are expanded) in every mode where
	// it is known; Tenancy is also filled in config_file mode.
	User, Fingerprint, KeyFile, Tenancy, Region, PassPhrase string

	// PrivateKey is an inline PEM (env OCIAI_PRIVATE_KEY), alternative to KeyFile.
	PrivateKey string

	// config_file mode: the OCI CLI config file (~ expanded) and profile. Tenancy
	// and Region are copied from that profile (falling back to its [DEFAULT]) unless
	// set explicitly; User/Fingerprint/KeyFile stay empty, the SDK reads them.
	OCIConfigFile, Profile string

	// CompartmentID defaults to Tenancy. With resource_principal it may stay empty:
	// the caller then uses the token's res_compartment claim.
	CompartmentID string

	// Endpoint is the OCI Generative AI inference base URL without trailing slash:
	// `endpoint` if set, else the SDK's regional endpoint for Region
	// (https://inference.generativeai.<region>.oci.<realm domain>). It is empty
	// when the region is only known at run time: instance_principal without
	// region (from instance metadata), resource_principal without region and
	// OCI_RESOURCE_PRINCIPAL_REGION, or a platform region this SDK version does
	// not know. The caller then lets the SDK derive the host (client.SetRegion).
	Endpoint string

	// Endpoints are the inference base URLs of other regions set in
	// [ENDPOINTS] (env OCIAI_ENDPOINTS): canonical region → URL. A region
	// without one uses its regional endpoint; see EndpointFor.
	Endpoints map[string]string

	// APIKeys holds `api_key` (name "default") and the [API_KEYS] entries. It is
	// empty only when AuthViaGateway is set.
	APIKeys        []APIKey
	AuthViaGateway bool // API Gateway authenticates; the gateway accepts unauthenticated calls
	ForceNonStream bool
	// DefaultMaxTokens is sent when the client gives no max tokens (default 4000).
	DefaultMaxTokens int
	Models           []Model // [MODELS] in file order (or OCIAI_MODELS order)
	// Strategy is the default strategy of models with several targets (default failover).
	Strategy Strategy

	// Server knobs.
	CORSOrigins       []string      // default ["*"]
	MaxBodyBytes      int64         // default 10 MiB
	RequestTimeout    time.Duration // non-stream OCI call, default 300s
	StreamIdleTimeout time.Duration // default 120s
	LogLevel          string        // debug|info|warn|error, default info
	LogPrompts        bool          // default false

	// MaxRetries is how often a failed OCI call (429, 5xx except 501, connection failure before any answer) is
	// retried, 0..10, default 2; 0 disables retrying.
	MaxRetries int
	// MaxConcurrentPerKey bounds the requests one client key may have in flight; 0 (default) means no limit.
	MaxConcurrentPerKey int
	// Metrics serves Prometheus metrics on GET /metrics (default true).
	Metrics bool

	// APIKeySecretOCID is an OCI Vault secret (ocid1.vaultsecret…) holding more client keys, read at start and
	// every APIKeySecretRefresh (default 5m) with the gateway's own OCI identity. APIKeySecretRegion is the
	// region its OCID names ("" when it names none the SDK knows: then the gateway's region). SecretsEndpoint
	// overrides the secret retrieval endpoint (tests, private endpoints).
	APIKeySecretOCID    string
	APIKeySecretRefresh time.Duration
	APIKeySecretRegion  string
	SecretsEndpoint     string
	// MaxEmbeddingInputs bounds the inputs of one embeddings request (default 2048, OpenAI's own limit).
	MaxEmbeddingInputs int
	// MetricsListen is a separate host:port for /metrics (local server only); the API port then has none.
	MetricsListen string
	// MetricsKey, when set, is the Bearer key /metrics requires.
	MetricsKey string

	// A request body must keep arriving: at most BodyIdleTimeout without a byte (default 30s) and
	// BodyReadTimeout in all (default 120s). The local server enforces them; OCI Functions receive whole bodies.
	BodyIdleTimeout, BodyReadTimeout time.Duration
}

// LoadResult is what Load returns.
type LoadResult struct {
	Config *Config
	// GeneratedKey is non-empty when an API key was generated by this load (and
	// written back to the file when there is one). The caller prints it once.
	GeneratedKey string
}

// Defaults.
const (
	DefaultPath              = "config.conf" // read by Load(""); may be absent then
	DefaultOCIConfigFile     = "~/.oci/config"
	DefaultProfile           = "DEFAULT"
	DefaultMaxTokens         = 4000
	DefaultMaxBodyBytes      = 10 << 20
	DefaultRequestTimeout    = 300 * time.Second
	DefaultStreamIdleTimeout = 120 * time.Second
	DefaultMaxEmbedInputs    = 2048
	DefaultBodyIdleTimeout   = 30 * time.Second
	DefaultBodyReadTimeout   = 120 * time.Second
	DefaultLogLevel          = "info"
	DefaultMaxRetries        = 2
	MaxMaxRetries            = 10 // largest accepted max_retries
	DefaultSecretRefresh     = 5 * time.Minute
	MinSecretRefresh         = 10 * time.Second // smallest accepted api_key_secret_refresh
)

// Model returns the model clients call name (exact match). It scans Models, so
// it also works on a Config built as a literal.
func (c *Config) Model(name string) (Model, bool) {
	i := slices.IndexFunc(c.Models, func(m Model) bool { return m.Name == name })
	if i < 0 {
		return Model{}, false
	}
	return c.Models[i], true
}

// EndpointFor is the inference base URL of region: Endpoint for the default
// region, else its [ENDPOINTS] entry, else the SDK's regional endpoint ("").
func (c *Config) EndpointFor(region string) string {
	if region == "" || region == c.Region {
		return c.Endpoint
	}
	if ep, ok := c.Endpoints[region]; ok {
		return ep
	}
	if r, known := resolveRegion(region); known {
		return regionEndpoint(r)
	}
	return ""
}

// ModelNames returns the client-facing model names in configuration order.
func (c *Config) ModelNames() []string {
	names := make([]string, len(c.Models))
	for i, m := range c.Models {
		names[i] = m.Name
	}
	return names
}
