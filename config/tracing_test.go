package config

import (
	"strings"
	"testing"
)

func TestTracingFromEnv(t *testing.T) {
	_, path := setup(t, validConf)
	for _, tc := range []struct {
		env  []string
		on   bool
		fail string
	}{
		{nil, false, ""},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318"}, true, ""},
		{[]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://otlp.example.com/v1/traces"}, true, ""},
		{[]string{"OTEL_TRACES_EXPORTER", "otlp"}, true, ""}, // the exporter's default endpoint
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318", "OTEL_SDK_DISABLED", "true"}, false, ""},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318", "OTEL_TRACES_EXPORTER", "none"}, false, ""},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"}, true, ""},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}, false,
			`env OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" is not supported; the gateway exports OTLP over HTTP`},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"}, false,
			`env OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json" is not supported`},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318"}, false, `env OTEL_EXPORTER_OTLP_ENDPOINT: "localhost:4318" is not an http(s) URL`},
		{[]string{"OTEL_TRACES_EXPORTER", "zipkin"}, false, `env OTEL_TRACES_EXPORTER: "zipkin" is not supported (use otlp, or none)`},
	} {
		res, err := Load(path, fakeEnv(tc.env...))
		switch {
		case tc.fail != "":
			if err == nil || !strings.Contains(err.Error(), tc.fail) {
				t.Errorf("%v: error %v, want %q", tc.env, err, tc.fail)
			}
		case err != nil:
			t.Errorf("%v: %v", tc.env, err)
		case res.Config.Tracing != tc.on:
			t.Errorf("%v: tracing %v, want %v", tc.env, res.Config.Tracing, tc.on)
		}
	}
}
