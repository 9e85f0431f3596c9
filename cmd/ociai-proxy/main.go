// Command ociai-proxy runs the OCI AI Proxy gateway as a long-running HTTP server (see package server):
//
//	go install github.com/ociai/ociai-proxy/cmd/ociai-proxy@latest
//	ociai-proxy [-port 8080] [-config config.conf] [-simulate] [-version]
package main

import "github.com/ociai/ociai-proxy/server"

func main() { server.Main() }
