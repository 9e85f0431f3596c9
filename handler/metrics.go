package handler

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/ocigenai"
)

// metrics are the gateway's Prometheus series. Each handler has its own registry, so several gateways (tests)
// can live in one process.
type metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	firstByte   *prometheus.HistogramVec
	tokens      *prometheus.CounterVec
	keyTokens   *prometheus.CounterVec
	upstreamErr *prometheus.CounterVec
	retries     *prometheus.CounterVec
	openStreams prometheus.Gauge
}

// latencyBuckets cover a cached 2 ms answer up to the 300 s request timeout.
var latencyBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300}

// newMetrics registers the gateway's series and more.
func newMetrics(more ...prometheus.Collector) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ociai_requests_total",
			Help: "Requests by route, model and HTTP status."}, []string{"route", "model", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "ociai_request_duration_seconds",
			Help: "Total request time, to the last byte.", Buckets: latencyBuckets}, []string{"route", "model"}),
		firstByte: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "ociai_time_to_first_byte_seconds",
			Help: "Time until the first response byte (for streams: the first chunk).", Buckets: latencyBuckets}, []string{"route", "model"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ociai_tokens_total",
			Help: "Tokens reported by OCI, by model and direction (prompt or completion)."}, []string{"model", "direction"}),
		keyTokens: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ociai_key_tokens_total",
			Help: "Tokens reported by OCI, by the name of the client key that asked and direction (prompt or completion)."}, []string{"key", "direction"}),
		upstreamErr: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ociai_upstream_errors_total",
			Help: "Failed OCI calls by OCI error code and HTTP status (0: no answer)."}, []string{"code", "status"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ociai_upstream_retries_total",
			Help: "Retried OCI calls by operation and the status that caused the retry."}, []string{"operation", "status"}),
		openStreams: prometheus.NewGauge(prometheus.GaugeOpts{Name: "ociai_open_streams",
			Help: "Streams currently relayed from OCI."}),
	}
	m.registry.MustRegister(m.requests, m.duration, m.firstByte, m.tokens, m.keyTokens, m.upstreamErr, m.retries, m.openStreams,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.registry.MustRegister(more...)
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// middleware records each request when it ends: route, model (a configured name, else ""), status, duration,
// time to first byte, the tokens OCI reported and the OCI calls that failed. It also keeps the open-streams gauge.
func (m *metrics) middleware(h *Handler, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := infoFrom(r.Context())
		info.openStream = m.openStreams.Add
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		defer func() {
			route, model := info.route, ""
			if route == "" {
				route = "unknown" // arbitrary paths must not become label values
			}
			if _, ok := h.models[info.model]; ok {
				model = info.model
			}
			m.requests.WithLabelValues(route, model, strconv.Itoa(sw.status)).Inc()
			m.duration.WithLabelValues(route, model).Observe(time.Since(info.start).Seconds())
			if !sw.firstByte.IsZero() {
				m.firstByte.WithLabelValues(route, model).Observe(sw.firstByte.Sub(info.start).Seconds())
			}
			if t := &info.tokens; t.prompt.seen {
				m.tokens.WithLabelValues(info.model, "prompt").Add(float64(t.prompt.n))
				m.keyTokens.WithLabelValues(info.keyName, "prompt").Add(float64(t.prompt.n))
				if t.completion.seen {
					m.tokens.WithLabelValues(info.model, "completion").Add(float64(t.completion.n))
					m.keyTokens.WithLabelValues(info.keyName, "completion").Add(float64(t.completion.n))
				}
			}
			for _, err := range info.upstreamErrs {
				m.upstream(err)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

func (m *metrics) upstream(err error) {
	var oe *ocigenai.Error
	if errors.As(err, &oe) {
		code := oe.Code
		if code == "" {
			code = "ConnectionError"
		}
		m.upstreamErr.WithLabelValues(code, strconv.Itoa(oe.Status)).Inc()
	}
}

// retried is the OCI client's retry hook; the operation is the last path element (chat, embedText).
func (m *metrics) retried(path string, _ int, status int, _ string) {
	m.retries.WithLabelValues(path[strings.LastIndexByte(path, '/')+1:], strconv.Itoa(status)).Inc()
}

func (h *Handler) serveMetrics(w http.ResponseWriter, r *http.Request, _ string) {
	switch {
	case h.metrics == nil:
		writeError(w, r, &hub.Error{Status: http.StatusNotFound, Type: hub.InvalidRequest, Code: "unknown_url", Message: "Metrics are switched off (metrics = false)."})
	case h.opt.MetricsElsewhere:
		writeError(w, r, &hub.Error{Status: http.StatusNotFound, Type: hub.InvalidRequest, Code: "unknown_url", Message: "Metrics are served on their own address (metrics_listen), not on the API port."})
	default:
		h.scrape(w, r)
	}
}

// MetricsHandler serves GET /metrics on a listener of its own (metrics_listen): the same series behind the same
// metrics key, without CORS and without the API.
func (h *Handler) MetricsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path != "/metrics" || h.metrics == nil:
			writeError(w, r, &hub.Error{Status: http.StatusNotFound, Type: hub.InvalidRequest, Code: "unknown_url", Message: "This address serves GET /metrics only."})
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, r, &hub.Error{Status: http.StatusMethodNotAllowed, Type: hub.InvalidRequest, Code: "method_not_allowed", Message: r.Method + " is not allowed on /metrics; use GET."})
		default:
			h.scrape(w, r)
		}
	})
}

// scrape writes the metrics to a caller that holds the metrics key (when one is set).
func (h *Handler) scrape(w http.ResponseWriter, r *http.Request) {
	if h.opt.MetricsKey != "" && subtle.ConstantTimeCompare([]byte(presentedKey(r)), []byte(h.opt.MetricsKey)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ociai-proxy metrics"`)
		writeError(w, r, &hub.Error{Status: http.StatusUnauthorized, Type: hub.InvalidRequest, Code: "invalid_api_key",
			Message: "Metrics need the metrics key (metrics_key) as 'Authorization: Bearer <key>'."})
		return
	}
	h.metrics.handler().ServeHTTP(w, r)
}
