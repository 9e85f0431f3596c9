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
// `go install github.com/ociai/ociai-proxy/cmd/ociai-proxy@v1.2.0`, or for a build in a git checkout a
// pseudo-version naming the commit (Go 1.24 and later), else "dev-<commit>" from the VCS stamp (+dirty for
// local changes); "dev" when there is none of these (-buildvcs=false).
var Version = "dev"

func init() {
	if Version == "dev" {
		Version = buildVersion()
	}
}

// buildVersion is what the go command recorded: the module version, else the VCS commit (+dirty), else "dev".
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", ""
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision" && len(s.Value) >= 12:
			rev = s.Value[:12]
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = "+dirty"
		}
	}
	if rev == "" {
		return "dev"
	}
	return "dev-" + rev + dirty
}

// VersionLine is what -version prints: the program, its version, and the Go release and platform it was
// built with.
func VersionLine(program string) string {
	return fmt.Sprintf("%s %s (%s %s/%s)", program, Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
