package handler

import "testing"

// AddRoute serves a chat client API on path for the rest of the test, the way a new client API package is plugged
// in with one line in routes. Call it before New.
func AddRoute(t testing.TB, path string, api ClientAPI) {
	routes[path] = route{methods: post, calls: true, api: api, serve: (*Handler).chat}
	t.Cleanup(func() { delete(routes, path) })
}
