package ocigenai

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Pool is every region the gateway calls, behind one identity: one signer for all of them, one keep-alive
// client per region endpoint (built on first use), and the targets routes pick from. It is built once per
// process; nothing in it is built per request.
type Pool struct {
	signer       common.HTTPRequestSigner
	retry        atomic.Pointer[RetryPolicy]
	cooldownBase time.Duration
	cooldownMax  time.Duration
	tracer       trace.Tracer
	tracing      bool // a tracer provider was given: attempts get spans

	mu      sync.Mutex
	clients map[string]*Client // by endpoint
	targets map[string]*Target // by endpoint + " " + model
	order   []*Target          // in the order they were added, for Targets

	// OnRetry, when set, is called before each retry on the same target (see Client.OnRetry). Set it before
	// the pool is used.
	OnRetry func(path string, attempt int, status int, code string)
}

// PoolOptions tune a pool; zero values take the defaults.
type PoolOptions struct {
	Retry        RetryPolicy          // retries on the last target a request can use; zero value: no retries
	CooldownBase time.Duration        // first cool-down of a target without Retry-After; default 5 s
	CooldownMax  time.Duration        // longest cool-down, Retry-After included; default 60 s
	Tracing      trace.TracerProvider // spans of the OCI attempts; default none
}

// Defaults of PoolOptions.
const (
	DefaultCooldownBase = 5 * time.Second
	DefaultCooldownMax  = 60 * time.Second
)

// NewPool returns a pool signing with keys.
func NewPool(keys common.KeyProvider, opt PoolOptions) *Pool {
	if opt.CooldownBase <= 0 {
		opt.CooldownBase = DefaultCooldownBase
	}
	if opt.CooldownMax <= 0 {
		opt.CooldownMax = DefaultCooldownMax
	}
	tracing := opt.Tracing != nil
	if !tracing {
		opt.Tracing = noop.NewTracerProvider()
	}
	p := &Pool{
		signer:       Signer(keys),
		cooldownBase: opt.CooldownBase,
		cooldownMax:  max(opt.CooldownMax, opt.CooldownBase),
		tracer:       opt.Tracing.Tracer("github.com/ociai/ociai-proxy/ocigenai"),
		tracing:      tracing,
		clients:      map[string]*Client{},
		targets:      map[string]*Target{},
	}
	p.SetRetryPolicy(opt.Retry)
	return p
}

// SetRetryPolicy replaces the retry policy; requests under way keep theirs.
func (p *Pool) SetRetryPolicy(r RetryPolicy) {
	r = r.normalized()
	p.retry.Store(&r)
}

// RetryPolicy returns the policy in effect.
func (p *Pool) RetryPolicy() RetryPolicy { return *p.retry.Load() }

// TargetSpec names a target: an OCI model id or endpoint OCID, its region, and that region's endpoint.
type TargetSpec struct{ Model, Region, Endpoint string }

// Route returns the route of one model alias: its targets in order of preference and the strategy that picks
// among them. Targets already in the pool are shared.
func (p *Pool) Route(name string, s Strategy, specs ...TargetSpec) (*Route, error) {
	if len(specs) == 0 {
		return nil, errors.New("ocigenai: route " + name + " has no targets")
	}
	switch s {
	case "":
		s = Failover
	case Failover, Spread, LeastBusy:
	default:
		return nil, errors.New("ocigenai: unknown strategy " + string(s))
	}
	r := &Route{name: name, strategy: s, targets: make([]*Target, len(specs))}
	for i, spec := range specs {
		t, err := p.target(spec)
		if err != nil {
			return nil, err
		}
		r.targets[i] = t
	}
	return r, nil
}

func (p *Pool) target(s TargetSpec) (*Target, error) {
	ep := strings.TrimRight(s.Endpoint, "/")
	if ep == "" || s.Model == "" {
		return nil, errors.New("ocigenai: target " + s.Model + "@" + s.Region + " has no endpoint or model")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	key := ep + " " + s.Model
	if t, ok := p.targets[key]; ok {
		return t, nil
	}
	name := s.Model
	if s.Region != "" {
		name += "@" + s.Region
	}
	t := &Target{Model: s.Model, Region: s.Region, Endpoint: ep, name: name, pool: p}
	p.targets[key] = t
	p.order = append(p.order, t)
	return t, nil
}

// Targets lists the pool's targets in the order they were added (metrics).
func (p *Pool) Targets() []*Target {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*Target(nil), p.order...)
}

// clientFor returns the endpoint's client, building it on first use.
func (p *Pool) clientFor(endpoint string) *Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.clients[endpoint]; ok {
		return c
	}
	c := newClient(endpoint, p.signer)
	p.clients[endpoint] = c
	return c
}

// ControlPlane is the client of the Generative AI control plane of an inference endpoint's region
// (ControlEndpoint), for ListModels: built on first use, signed by the pool's identity and retried by its policy.
func (p *Pool) ControlPlane(inference string) *Client {
	c := p.clientFor(ControlEndpoint(strings.TrimRight(inference, "/")))
	c.SetRetryPolicy(p.RetryPolicy())
	return c
}

// CloseIdleConnections closes the idle keep-alive connections of every region (shutdown, tests).
func (p *Pool) CloseIdleConnections() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.clients {
		c.CloseIdleConnections()
	}
}
