package handler_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/ociai/ociai-proxy/handler"
)

// TestKeySetReplace swaps the accepted keys while requests run (as the Vault refresh does): a replaced key is
// refused from then on, the new one accepted, and concurrent requests always see one whole set.
func TestKeySetReplace(t *testing.T) {
	keys := handler.NewKeySet([]handler.Key{{Name: "tester", Key: testKey}})
	e := newEnv(t, func(o *handler.Options) { o.KeySet = keys; o.Keys = nil })
	status := func(key string) int {
		t.Helper()
		res := e.do(t, "GET", "/v1/models", "", "Authorization", "Bearer "+key)
		res.Body.Close()
		return res.StatusCode
	}
	if s := status(testKey); s != http.StatusOK {
		t.Fatalf("initial key: status %d", s)
	}

	const next = "sk-rotated-key"
	// Requests race with replacements; each must be answered 200 (key in the set it saw) or 401, nothing else.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 20 {
				if s := status([]string{testKey, next}[i%2]); s != http.StatusOK && s != http.StatusUnauthorized {
					t.Errorf("status %d during rotation", s)
				}
			}
		})
	}
	for i := range 50 {
		if i%2 == 0 {
			keys.Replace([]handler.Key{{Name: "new", Key: next}})
		} else {
			keys.Replace([]handler.Key{{Name: "tester", Key: testKey}, {Name: "new", Key: next}})
		}
	}
	wg.Wait()

	keys.Replace([]handler.Key{{Name: "new", Key: next}})
	if s := status(testKey); s != http.StatusUnauthorized {
		t.Errorf("replaced key: status %d, want 401", s)
	}
	if s := status(next); s != http.StatusOK {
		t.Errorf("new key: status %d, want 200", s)
	}
	if keys.Len() != 1 {
		t.Errorf("Len = %d, want 1", keys.Len())
	}
}
