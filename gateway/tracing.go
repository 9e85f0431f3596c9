package gateway

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
)

// serviceName is the default service.name of the traces (OTEL_SERVICE_NAME overrides it).
const serviceName = "ociai-proxy"

// tracingOn reads OpenTelemetry's standard variables: traces are exported when an OTLP endpoint is configured
// (OTEL_EXPORTER_OTLP_ENDPOINT or _TRACES_ENDPOINT, or OTEL_TRACES_EXPORTER=otlp for the default one), unless
// OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none. Only OTLP over HTTP (http/protobuf) is built in.
func tracingOn(getenv func(string) string) (bool, error) {
	env := func(k string) string { return strings.TrimSpace(getenv(k)) }
	first := func(keys ...string) (key, value string) {
		for _, k := range keys {
			if v := env(k); v != "" {
				return k, v
			}
		}
		return keys[len(keys)-1], ""
	}
	exporter := strings.ToLower(env("OTEL_TRACES_EXPORTER"))
	key, endpoint := first("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
	switch {
	case strings.EqualFold(env("OTEL_SDK_DISABLED"), "true") || exporter == "none":
		return false, nil
	case exporter != "" && exporter != "otlp":
		return false, fmt.Errorf("tracing: OTEL_TRACES_EXPORTER %q is not supported (use otlp, or none)", exporter)
	case endpoint == "" && exporter == "":
		return false, nil
	}
	if u, err := url.Parse(endpoint); endpoint != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		return false, fmt.Errorf("tracing: %s %q is not an http(s) URL (for OTLP over HTTP, e.g. http://localhost:4318)", key, endpoint)
	}
	if key, protocol := first("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"); protocol != "" && protocol != "http/protobuf" {
		return false, fmt.Errorf("tracing: %s %q is not supported: the gateway exports OTLP over HTTP (http/protobuf, port 4318 on most collectors)", key, protocol)
	}
	return true, nil
}

// newTraces is the trace pipeline when the OTEL_* variables (read with getenv, default os.Getenv) ask for one,
// else nil.
func newTraces(getenv func(string) string) (*sdktrace.TracerProvider, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	on, err := tracingOn(getenv)
	if err != nil || !on {
		return nil, err
	}
	return newTracerProvider(context.Background())
}

// newTracerProvider builds the trace pipeline: spans batched to an OTLP/HTTP exporter, which reads its endpoint,
// headers, timeout and TLS settings from the standard OTEL_EXPORTER_OTLP_* variables (the SDK likewise reads
// OTEL_TRACES_SAMPLER, OTEL_BSP_* and OTEL_RESOURCE_ATTRIBUTES). Nothing is sent until a span ends.
func newTracerProvider(ctx context.Context) (*sdktrace.TracerProvider, error) {
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName(serviceName), semconv.ServiceVersion(Version)),
		resource.WithFromEnv(), // OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES win over the defaults above
		resource.WithTelemetrySDK())
	if err != nil {
		return nil, fmt.Errorf("OpenTelemetry resource: %w", err)
	}
	return sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res)), nil
}
