package main

import (
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(101-i)*time.Millisecond) // unsorted on purpose
	}
	s := summarize(d, 0)
	if s.P50 != 50 || s.P90 != 90 || s.P99 != 99 || s.Max != 100 || s.Mean != 50.5 {
		t.Fatalf("%+v", s)
	}
	if percentile(nil, 50) != 0 || percentile([]time.Duration{7}, 99) != 7 {
		t.Fatal("edge cases")
	}
}

func TestParseStat(t *testing.T) {
	// comm may contain spaces and parentheses; utime and stime are fields 14 and 15.
	line := "42 (my (odd) proc) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 9 0 100 200 300"
	u, s, err := parseStat(line)
	if err != nil || u != 250 || s != 50 {
		t.Fatalf("%d %d %v", u, s, err)
	}
}
