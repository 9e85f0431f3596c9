package config

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/oracle/oci-go-sdk/v65/common"
)

// inferenceTemplate mirrors the SDK's generativeaiinference host template
// (without its {dualStack?ds.:} switch, which the SDK client resolves itself).
const inferenceTemplate = "https://inference.generativeai.{region}.oci.{secondLevelDomain}"

// resolveRegion canonicalises a region name or short code with the SDK table.
// known is false for regions the SDK cannot place in a realm (StringToRegion
// returns unknown names unchanged, so RealmID is the membership test; regions
// added through OCI_REGION_METADATA or ~/.oci/regions-config.json count as known).
func resolveRegion(s string) (region string, known bool) {
	r := common.StringToRegion(strings.TrimSpace(s))
	if _, err := r.RealmID(); err != nil {
		return strings.ToLower(strings.TrimSpace(s)), false
	}
	return string(r), true
}

// regionEndpoint is the inference base URL for a known region, using the SDK's
// realm table for the domain (uk-gov-london-1 → oraclegovcloud.uk).
func regionEndpoint(region string) string {
	return common.Region(region).EndpointForTemplate("generativeaiinference", inferenceTemplate)
}

// parseEndpoint accepts http(s)://host[:port] with an optional trailing slash,
// which is also what the SDK accepts for client.Host.
func parseEndpoint(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("%s is not an http(s)://host[:port] URL", show(s))
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.HasSuffix(s, "?") {
		return "", fmt.Errorf("%s must be just scheme://host[:port], without path, query or user info", show(s))
	}
	if p := u.Port(); p != "" && strings.Trim(p, "0123456789") != "" {
		return "", fmt.Errorf("%s has a bad port", show(s))
	}
	return u.Scheme + "://" + u.Host, nil
}

// parseOrigin validates a CORS origin: "*" or scheme://host[:port].
func parseOrigin(s string) (string, error) {
	if s == "*" {
		return s, nil
	}
	o, err := parseEndpoint(s)
	if err != nil {
		return "", fmt.Errorf("%s is not * or an origin like https://app.example.com", show(s))
	}
	return o, nil
}
