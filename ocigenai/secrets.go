package ocigenai

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// The gateway reads its client keys from an OCI Vault secret through the Vault secret retrieval API, signed by
// the same identity as its Generative AI calls (the resource principal in OCI). A Client made for the secrets
// endpoint of the secret's region serves it, with the same transport, retries and error decoding.

// PathSecretBundles is the path prefix of the secret retrieval API's GetSecretBundle (the SDK's secrets client:
// base path 20190301, GET /secretbundles/{secretId}).
const PathSecretBundles = "/20190301/secretbundles/"

// vaultService names the secret retrieval API in errors.
const vaultService = "OCI Vault"

// maxSecretBody bounds a secret bundle answer: Vault secrets hold at most 25 KB (base64 adds a third).
const maxSecretBody = 1 << 20

// SecretsEndpoint is the secret retrieval endpoint of region from the SDK's region table (realm domains
// included), the host the SDK's secrets client uses.
func SecretsEndpoint(region string) string {
	return serviceEndpoint(region, "secrets", "https://secrets.vaults.{region}.oci.{secondLevelDomain}")
}

// SecretBundle is one version of a Vault secret with its content decoded.
type SecretBundle struct {
	SecretID      string
	VersionNumber int64
	Stages        []string // CURRENT, LATEST, PREVIOUS…
	Content       []byte
	RequestID     string // opc-request-id of the answer
}

// secretBundleJSON is the wire form of the SDK's secrets.SecretBundle, as far as the gateway uses it.
type secretBundleJSON struct {
	SecretID            string   `json:"secretId"`
	VersionNumber       int64    `json:"versionNumber"`
	Stages              []string `json:"stages"`
	SecretBundleContent struct {
		ContentType string `json:"contentType"`
		Content     string `json:"content"`
	} `json:"secretBundleContent"`
}

// GetSecretBundle reads the CURRENT version of the secret secretID. Failures are *Error (Service "OCI Vault"),
// retried like every other call.
func (c *Client) GetSecretBundle(ctx context.Context, secretID string) (*SecretBundle, error) {
	path := PathSecretBundles + url.PathEscape(secretID)
	res, err := c.do(ctx, PathSecretBundles, func() (*http.Response, *Error) { return c.get(ctx, path) })
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	id := res.Header.Get("opc-request-id")
	fail := func(msg string) error {
		return &Error{Service: vaultService, Status: res.StatusCode, Code: "BadSecretBundle", Message: msg, RequestID: id}
	}
	raw, err := io.ReadAll(io.LimitReader(res.Body, maxSecretBody+1))
	if err != nil {
		e := transportError(ctx, id, err)
		e.Service = vaultService
		return nil, e
	}
	if len(raw) > maxSecretBody {
		return nil, fail("the secret bundle answer is larger than 1 MiB")
	}
	var b secretBundleJSON
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, fail("the secret bundle answer is not JSON: " + err.Error())
	}
	if t := b.SecretBundleContent.ContentType; t != "BASE64" {
		return nil, fail(fmt.Sprintf("the secret bundle has content type %q, not BASE64", t))
	}
	content, err := base64.StdEncoding.DecodeString(b.SecretBundleContent.Content)
	if err != nil {
		return nil, fail("the secret bundle content is not base64: " + err.Error())
	}
	return &SecretBundle{SecretID: b.SecretID, VersionNumber: b.VersionNumber, Stages: b.Stages, Content: content, RequestID: id}, nil
}

// get makes one signed GET attempt (signed headers: date, (request-target), host).
func (c *Client) get(ctx context.Context, path string) (*http.Response, *Error) {
	res, e := c.roundTrip(ctx, http.MethodGet, path, nil, "application/json")
	if e != nil {
		e.Service = vaultService
	}
	return res, e
}
