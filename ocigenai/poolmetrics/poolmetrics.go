// Package poolmetrics exposes the counters of a region pool's targets (ocigenai.TargetStats) as Prometheus series
// labelled by region and OCI model. They are read at scrape time: requests only bump the targets' atomic counters.
package poolmetrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ociai/ociai-proxy/ocigenai"
)

// New is the collector of pool's targets (those of its routes when the collector is scraped).
func New(pool *ocigenai.Pool) prometheus.Collector { return collector{pool} }

type collector struct{ pool *ocigenai.Pool }

var (
	targetLabels    = []string{"region", "model"}
	targetRequests  = prometheus.NewDesc("ociai_target_requests_total", "HTTP attempts sent to each target (OCI model in a region), retries included.", targetLabels, nil)
	targetErrors    = prometheus.NewDesc("ociai_target_errors_total", "Failed attempts per target by class: throttled (429), server_error (5xx), connect_error, timeout, client_error (other 4xx), local_error.", append(targetLabels, "class"), nil)
	targetFailovers = prometheus.NewDesc("ociai_target_failovers_total", "Requests that moved on from this target to the next one.", targetLabels, nil)
	targetCooldowns = prometheus.NewDesc("ociai_target_cooldowns_total", "Cool-downs started: the target was skipped for a while after failing.", targetLabels, nil)
	targetCooling   = prometheus.NewDesc("ociai_target_cooling_down", "1 while the target is skipped after a failure, else 0.", targetLabels, nil)
	targetInFlight  = prometheus.NewDesc("ociai_target_in_flight", "Requests under way at the target, open streams included.", targetLabels, nil)
	targetTokens    = prometheus.NewDesc("ociai_target_tokens_total", "Tokens OCI reported for the target's answers, by direction (prompt or completion).", append(targetLabels, "direction"), nil)
)

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{targetRequests, targetErrors, targetFailovers, targetCooldowns, targetCooling, targetInFlight, targetTokens} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	for _, t := range c.pool.Targets() {
		s := t.Stats()
		counter(targetRequests, s.Requests, t.Region, t.Model)
		for class, n := range s.Errors {
			counter(targetErrors, n, t.Region, t.Model, ocigenai.ErrorClasses[class])
		}
		counter(targetFailovers, s.Failovers, t.Region, t.Model)
		counter(targetCooldowns, s.Cooldowns, t.Region, t.Model)
		cooling := 0.0
		if !s.CoolingUntil.IsZero() {
			cooling = 1
		}
		ch <- prometheus.MustNewConstMetric(targetCooling, prometheus.GaugeValue, cooling, t.Region, t.Model)
		ch <- prometheus.MustNewConstMetric(targetInFlight, prometheus.GaugeValue, float64(s.InFlight), t.Region, t.Model)
		counter(targetTokens, s.InputTokens, t.Region, t.Model, "prompt")
		counter(targetTokens, s.OutputTokens, t.Region, t.Model, "completion")
	}
}
