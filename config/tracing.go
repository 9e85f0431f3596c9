package config

import (
	"net/url"
	"strings"
)

// OpenTelemetry's standard variables that decide whether traces are exported. The OTLP exporter reads the
// rest (headers, timeouts, certificates, sampler, batching, resource) from the environment itself.
const (
	envOTLPEndpoint       = "OTEL_EXPORTER_OTLP_ENDPOINT"
	envOTLPTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
	envOTLPProtocol       = "OTEL_EXPORTER_OTLP_PROTOCOL"
	envOTLPTracesProtocol = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
	envTracesExporter     = "OTEL_TRACES_EXPORTER"
	envSDKDisabled        = "OTEL_SDK_DISABLED"
)

// tracing switches trace export on when an OTLP endpoint is configured (or OTEL_TRACES_EXPORTER=otlp asks for
// the default one), unless OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none. Only OTLP over HTTP
// (http/protobuf) is built in.
func (l *loader) tracing(c *Config) {
	env := func(k string) string { return strings.TrimSpace(l.getenv(k)) }
	if strings.EqualFold(env(envSDKDisabled), "true") {
		return
	}
	exporter := strings.ToLower(env(envTracesExporter))
	switch exporter {
	case "none":
		return
	case "", "otlp":
	default:
		l.problem("env %s: %s is not supported (use otlp, or none)", envTracesExporter, show(exporter))
		return
	}
	endpoint, key := env(envOTLPTracesEndpoint), envOTLPTracesEndpoint
	if endpoint == "" {
		endpoint, key = env(envOTLPEndpoint), envOTLPEndpoint
	}
	if endpoint == "" && exporter == "" {
		return
	}
	if u, err := url.Parse(endpoint); endpoint != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		l.problem("env %s: %s is not an http(s) URL (for OTLP over HTTP, e.g. http://localhost:4318)", key, show(endpoint))
		return
	}
	protocol, pkey := env(envOTLPTracesProtocol), envOTLPTracesProtocol
	if protocol == "" {
		protocol, pkey = env(envOTLPProtocol), envOTLPProtocol
	}
	if protocol != "" && protocol != "http/protobuf" {
		l.problem("env %s: %s is not supported; the gateway exports OTLP over HTTP (http/protobuf, port 4318 on most collectors)", pkey, show(protocol))
		return
	}
	c.Tracing = true
}
