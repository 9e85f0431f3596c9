package config

import (
	"slices"
	"strings"
)

// autoKeyPlaceholder as api_key asks Load to generate a client key.
const autoKeyPlaceholder = "auto_generated_key"

// examplePlaceholders are the exact placeholder values config.conf.example ships
// with (a test keeps the two in sync), so loading the example unedited fails
// with a clear message instead of a confusing 401 from OCI.
var examplePlaceholders = []string{
	"ocid1.user.oc1..<unique_ID>",
	"ocid1.tenancy.oc1..<unique_ID>",
	"ocid1.compartment.oc1..<unique_ID>",
	"20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34", // Oracle's documentation example fingerprint
	"ocid1.generativeaiendpoint.oc1.us-chicago-1.<unique_ID>",
	"<your key pass phrase>",
	"<a long random string>",
}

// seedPlaceholders are the identity placeholders of the example config in the original "OCI AI Proxy"
// README, which its users copied; they are not OCIDs of the usual placeholder shape.
var seedPlaceholders = []string{
	"ocid1.user.oc1..your_user_ocid",
	"ocid1.tenancy.oc1..your_tenancy_ocid",
	"your_key_fingerprint",
}

// isPlaceholder reports values left from the example or templates. Secrets only
// match exact or <bracketed> placeholders: a real pass phrase may contain "xxxx".
func isPlaceholder(v string, secret bool) bool {
	if slices.Contains(examplePlaceholders, v) || slices.Contains(seedPlaceholders, v) {
		return true
	}
	if secret {
		return strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">")
	}
	l := strings.ToLower(v)
	return strings.Contains(v, "...") || strings.ContainsAny(v, "<>") ||
		strings.Contains(l, "xxxx") || strings.Contains(l, "unique_id")
}

// show quotes a non-secret value for a message, shortened.
func show(v string) string {
	const max = 80
	if len(v) > max {
		v = v[:max] + "…"
	}
	return `"` + v + `"`
}
