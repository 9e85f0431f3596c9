package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"

	"github.com/ociai/ociai-proxy/config"
	"github.com/ociai/ociai-proxy/handler"
	"github.com/ociai/ociai-proxy/ocigenai"
)

// Timings of the Vault key reads.
const (
	vaultReadTimeout = 30 * time.Second // one read, retries included
	vaultRetryDelay  = 30 * time.Second // next try after a failed refresh, when sooner than the refresh interval
)

// vaultKeys keeps the handler's key set in step with the client keys held in an OCI Vault secret: the
// configured keys plus the secret's, re-read every interval so a rotated secret needs no restart.
type vaultKeys struct {
	oci      *ocigenai.Client // for the secret retrieval endpoint, signed by the gateway's own identity
	secretID string
	every    time.Duration
	static   []handler.Key // api_key and [API_KEYS], always accepted
	set      *handler.KeySet
	log      *slog.Logger

	version int64 // secret version in the set; 0 before the first read
}

// newVaultKeys reads the secret once, so that a gateway never starts without its keys.
func newVaultKeys(cfg *config.Config, signer common.KeyProvider, region string, set *handler.KeySet, log *slog.Logger) (*vaultKeys, error) {
	endpoint := cfg.SecretsEndpoint
	if endpoint == "" {
		if cfg.APIKeySecretRegion != "" {
			region = cfg.APIKeySecretRegion
		}
		endpoint = ocigenai.SecretsEndpoint(region)
	}
	if endpoint == "" {
		return nil, errors.New("api_key_secret_ocid: no region to read the secret in: set region or secrets_endpoint")
	}
	client, err := ocigenai.New(endpoint, signer)
	if err != nil {
		return nil, err
	}
	client.SetRetryPolicy(ocigenai.RetryPolicy{MaxRetries: cfg.MaxRetries})
	v := &vaultKeys{oci: client, secretID: cfg.APIKeySecretOCID, every: cfg.APIKeySecretRefresh, static: keys(cfg.APIKeys), set: set, log: log}
	ctx, cancel := context.WithTimeout(context.Background(), vaultReadTimeout)
	defer cancel()
	if err := v.load(ctx); err != nil {
		return nil, err
	}
	return v, nil
}

// load reads the secret and, when its version changed, replaces the key set. On any failure the set is left as
// it was.
func (v *vaultKeys) load(ctx context.Context) error {
	b, err := v.oci.GetSecretBundle(ctx, v.secretID)
	if err != nil {
		return fmt.Errorf("read the API keys from Vault secret %s: %w", v.secretID, err)
	}
	if b.VersionNumber == v.version {
		v.log.Debug("API keys in Vault unchanged", "secret", v.secretID, "version", b.VersionNumber)
		return nil
	}
	parsed, err := config.ParseAPIKeys(string(b.Content))
	if err != nil {
		return fmt.Errorf("the API keys in Vault secret %s (version %d): %w", v.secretID, b.VersionNumber, err)
	}
	all := append(append(make([]handler.Key, 0, len(v.static)+len(parsed)), v.static...), keys(parsed)...)
	v.set.Replace(all)
	names := make([]string, len(parsed))
	for i, k := range parsed {
		names[i] = k.Name
	}
	v.log.Info("API keys loaded from Vault", "secret", v.secretID, "version", b.VersionNumber, "previous", v.version, "names", names)
	v.version = b.VersionNumber
	return nil
}

// run re-reads the secret every interval until ctx ends; a failed read keeps the keys and is tried again sooner.
func (v *vaultKeys) run(ctx context.Context) {
	t := time.NewTimer(v.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rctx, cancel := context.WithTimeout(ctx, vaultReadTimeout)
		err := v.load(rctx)
		cancel()
		next := v.every
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			next = min(v.every, vaultRetryDelay)
			v.log.Warn("API key refresh from Vault failed; the keys read before stay in use", "error", err, "retry_in", next.String())
		}
		t.Reset(next)
	}
}
