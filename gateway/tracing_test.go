package gateway

import (
	"strings"
	"testing"
)

func TestTracingOn(t *testing.T) {
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
			`OTEL_EXPORTER_OTLP_PROTOCOL "grpc" is not supported: the gateway exports OTLP over HTTP`},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"}, false,
			`OTEL_EXPORTER_OTLP_TRACES_PROTOCOL "http/json" is not supported`},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318"}, false, `OTEL_EXPORTER_OTLP_ENDPOINT "localhost:4318" is not an http(s) URL`},
		{[]string{"OTEL_TRACES_EXPORTER", "zipkin"}, false, `OTEL_TRACES_EXPORTER "zipkin" is not supported (use otlp, or none)`},
	} {
		m := map[string]string{}
		for i := 0; i+1 < len(tc.env); i += 2 {
			m[tc.env[i]] = tc.env[i+1]
		}
		on, err := tracingOn(func(k string) string { return m[k] })
		if tc.fail != "" {
			if err == nil || !strings.Contains(err.Error(), tc.fail) {
				t.Errorf("%v: error %v, want %q", tc.env, err, tc.fail)
			}
		} else if err != nil || on != tc.on {
			t.Errorf("%v: %v, %v; want %v", tc.env, on, err, tc.on)
		}
	}
}
