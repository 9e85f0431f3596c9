package main

import (
	"math"
	"slices"
	"time"
)

// Summary is a latency distribution in milliseconds (nearest-rank percentiles).
type Summary struct {
	N      int     `json:"n"`
	Errors int     `json:"errors"`
	Mean   float64 `json:"mean_ms"`
	P50    float64 `json:"p50_ms"`
	P90    float64 `json:"p90_ms"`
	P99    float64 `json:"p99_ms"`
	Max    float64 `json:"max_ms"`
}

// percentile returns the nearest-rank p-th percentile (0 < p <= 100) of sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// summarize sorts d in place and summarizes it.
func summarize(d []time.Duration, errors int) Summary {
	slices.Sort(d)
	s := Summary{N: len(d), Errors: errors}
	if len(d) == 0 {
		return s
	}
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	s.Mean = ms(sum / time.Duration(len(d)))
	s.P50, s.P90, s.P99 = ms(percentile(d, 50)), ms(percentile(d, 90)), ms(percentile(d, 99))
	s.Max = ms(d[len(d)-1])
	return s
}

// Diff is gateway minus direct, percentile by percentile (not a distribution of per-request differences).
type Diff struct {
	P50 float64 `json:"p50_ms"`
	P90 float64 `json:"p90_ms"`
	P99 float64 `json:"p99_ms"`
	Max float64 `json:"max_ms"`
}

func diff(gw, direct Summary) Diff {
	return Diff{P50: gw.P50 - direct.P50, P90: gw.P90 - direct.P90, P99: gw.P99 - direct.P99, Max: gw.Max - direct.Max}
}
