package gateway

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is the gateway's version, reported by -version, /health and the start-up log. A release sets it at
// build time:
//
//	go build -ldflags "-X github.com/ociai/ociai-proxy/gateway.Version=1.2.0" ./cmd/ociai-proxy
//
// Otherwise it is the version the go command recorded in the binary: the module version for
// `go install github.com/ociai/ociai-proxy/cmd/ociai-proxy@v1.2.0`, or a pseudo-version naming the commit
// (with +dirty for local changes) for a build in a git checkout; "dev" when there is neither.
var Version = "dev"

func init() {
	if Version != "dev" {
		return
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		Version = bi.Main.Version
	}
}

// VersionLine is what -version prints: the program, its version, and the Go release and platform it was
// built with.
func VersionLine(program string) string {
	return fmt.Sprintf("%s %s (%s %s/%s)", program, Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
