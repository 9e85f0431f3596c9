// Command localserver is the same server as cmd/ociai-proxy, kept at this path so that
// `go run ./localserver [-port 8080] [-config config.conf] [-simulate]` works from a checkout.
package main

import "github.com/ociai/ociai-proxy/server"

func main() { server.Main() }
