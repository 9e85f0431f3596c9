// Command ociai-proxy-func serves the gateway as an OCI Function behind OCI API Gateway, through the Fn FDK.
// Configuration comes from the function's config (environment variables) only.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"

	fdk "github.com/fnproject/fdk-go"

	"github.com/ociai/ociai-proxy/config"
	"github.com/ociai/ociai-proxy/gateway"
)

func main() {
	fs := flag.NewFlagSet("ociai-proxy-func", flag.ExitOnError)
	version := fs.Bool("version", false, "print the version and exit")
	_ = fs.Parse(os.Args[1:])
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(os.Stderr, "ociai-proxy-func: unexpected argument %q: the function takes no arguments (only -version)\n", fs.Arg(0))
		os.Exit(2)
	case *version:
		fmt.Println(gateway.VersionLine("ociai-proxy-func"))
		return
	}
	fdk.Handle(fdk.HTTPHandler(functionHandler(os.Getenv)))
}

// functionHandler builds the gateway once per container. A function that cannot start properly answers every
// call with a 503 naming the problem instead of crash-looping (or, without a key, serving openly).
func functionHandler(getenv func(string) string) http.Handler {
	log := gateway.NewLogger(getenv("OCIAI_LOG_LEVEL"))
	gateway.ApplyMemoryLimit(getenv) // 80 % of the function's memory (FN_MEMORY), unless GOMEMLIMIT is set
	res, err := config.Load("", getenv)
	if err != nil {
		log.Error("configuration invalid", "error", err)
		return unavailable("The gateway function is misconfigured: " + err.Error())
	}
	if res.GeneratedKey != "" {
		log.Error("no API key configured")
		return unavailable("The gateway function has no API key. Set OCIAI_API_KEY in the function's configuration " +
			"(or OCIAI_AUTH_VIA_GATEWAY=true when API Gateway authenticates callers).")
	}
	// Functions buffer the whole response, so streams are answered from one non-streaming OCI call; API
	// Gateway's CORS policy answers preflights and adds the CORS headers, so the function adds none.
	gw, err := gateway.New(res.Config, gateway.Options{Logger: log, ForceNonStream: true, NoCORS: true, Getenv: getenv})
	if err != nil {
		log.Error("gateway start failed", "error", err)
		return unavailable("The gateway function cannot reach OCI: " + err.Error())
	}
	// The Vault key refresh (when configured) lives as long as the function's container.
	go gw.Run(context.Background())
	log.Info("function ready", "region", gw.Region, "endpoint", gw.Endpoint, "models", len(res.Config.Models), "version", gateway.Version)
	return gw.Handler
}

func unavailable(msg string) http.Handler {
	body, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": "server_error", "param": nil, "code": "gateway_unavailable"}})
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write(body)
	})
}
