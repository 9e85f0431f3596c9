package ocigenai

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestCooldown walks one target through failures and successes at chosen instants: the cool-down comes from
// Retry-After when given, else doubles from the base with each cool-down in a row, both capped; failures while
// cooling do not deepen it, and a success ends the streak.
func TestCooldown(t *testing.T) {
	p := NewPool(testKeys(t), PoolOptions{CooldownBase: 5 * time.Second, CooldownMax: 60 * time.Second})
	r, err := p.Route("m", Failover, TargetSpec{Model: "xai.grok-4", Region: "us-chicago-1", Endpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	tg := r.Targets()[0]
	t0 := time.Unix(1_700_000_000, 0)
	throttled := &Error{Status: http.StatusTooManyRequests}
	until := func() time.Duration { return time.Duration(tg.coolUntil.Load() - t0.UnixNano()) }
	at := time.Duration(0)
	for i, step := range []struct {
		after   time.Duration // since t0
		e       *Error        // nil: a success
		want    time.Duration // cool-down end, since t0
		started bool
	}{
		{0, throttled, 5 * time.Second, true},
		{time.Second, throttled, 5 * time.Second, false},                                      // already cooling: no deeper
		{2 * time.Second, &Error{Status: 503, RetryAfter: "10"}, 12 * time.Second, false},     // a longer Retry-After extends it
		{3 * time.Second, &Error{Status: 503, RetryAfter: "1"}, 12 * time.Second, false},      // a shorter one does not shorten it
		{12 * time.Second, &Error{Status: 0}, 22 * time.Second, true},                         // second in a row: 10 s
		{22 * time.Second, throttled, 42 * time.Second, true},                                 // 20 s
		{42 * time.Second, throttled, 82 * time.Second, true},                                 // 40 s
		{82 * time.Second, throttled, 142 * time.Second, true},                                // capped at 60 s
		{142 * time.Second, nil, 142 * time.Second, false},                                    // success: streak over
		{150 * time.Second, throttled, 155 * time.Second, true},                               // from 5 s again
		{160 * time.Second, &Error{Status: 429, RetryAfter: "30"}, 190 * time.Second, true},   // Retry-After wins
		{190 * time.Second, &Error{Status: 429, RetryAfter: "3600"}, 250 * time.Second, true}, // capped too
	} {
		at = step.after
		before := tg.cooldowns.Load()
		if step.e == nil {
			tg.succeed()
		} else {
			tg.fail(t0.Add(at), step.e)
		}
		if got := until(); got != step.want {
			t.Fatalf("step %d: cooling until t0+%v, want t0+%v", i, got, step.want)
		}
		if started := tg.cooldowns.Load() > before; started != step.started {
			t.Fatalf("step %d: cool-down started %v, want %v", i, started, step.started)
		}
	}
	if !tg.cooling(t0.Add(at).UnixNano()) || tg.cooling(t0.Add(250*time.Second).UnixNano()) {
		t.Error("cooling() disagrees with the cool-down end")
	}
}

// TestOrder checks the strategies' orders at a fixed instant, without sending anything.
func TestOrder(t *testing.T) {
	p := NewPool(testKeys(t), PoolOptions{})
	specs := []TargetSpec{{"m", "a", "http://a"}, {"m", "b", "http://b"}, {"m", "c", "http://c"}}
	now := time.Now().UnixNano()
	order := func(r *Route) []int { return append([]int(nil), r.order(now, nil)...) }
	eq := slices.Equal[[]int]

	f, _ := p.Route("f", Failover, specs...)
	s, _ := p.Route("s", Spread, specs...)
	l, _ := p.Route("l", LeastBusy, specs...)
	for range 3 {
		if got := order(f); !eq(got, []int{0, 1, 2}) {
			t.Errorf("failover %v", got)
		}
	}
	for _, want := range [][]int{{0, 1, 2}, {1, 2, 0}, {2, 0, 1}, {0, 1, 2}} {
		if got := order(s); !eq(got, want) {
			t.Errorf("spread %v, want %v", got, want)
		}
	}
	// Least busy: b has 2 in flight, c 1, a none; ties (none here) would take turns.
	l.targets[1].inFlight.Store(2)
	l.targets[2].inFlight.Store(1)
	if got := order(l); !eq(got, []int{0, 2, 1}) {
		t.Errorf("least-busy %v", got)
	}
	l.targets[1].inFlight.Store(0)
	l.targets[2].inFlight.Store(0)
	l.targets[0].inFlight.Store(1)
	seen := map[int]int{}
	for range 4 {
		got := order(l)
		if got[2] != 0 {
			t.Fatalf("least-busy %v: the busy target must come last", got)
		}
		seen[got[0]]++
	}
	if seen[1] != 2 || seen[2] != 2 {
		t.Errorf("equally idle targets do not take turns: %v", seen)
	}
	l.targets[0].inFlight.Store(0)

	// Cooling targets drop out (shared: the routes use the same three targets); none left → none to try, except
	// for a one-target route, which always tries its target.
	f.targets[1].coolUntil.Store(now + int64(time.Minute))
	if got := order(f); !eq(got, []int{0, 2}) {
		t.Errorf("failover with b cooling %v", got)
	}
	for range 2 {
		if got := order(s); got[0] == 1 || len(got) != 2 {
			t.Errorf("spread with b cooling %v", got)
		}
	}
	f.targets[0].coolUntil.Store(now + int64(time.Minute))
	f.targets[2].coolUntil.Store(now + int64(time.Minute))
	if got := order(f); len(got) != 0 {
		t.Errorf("all cooling: %v", got)
	}
	one, _ := p.Route("one", Spread, specs[0])
	if got := order(one); !eq(got, []int{0}) {
		t.Errorf("one cooling target: %v", got)
	}
	if one.targets[0] != f.targets[0] || len(p.Targets()) != 3 {
		t.Error("routes must share the pool's targets")
	}
}
