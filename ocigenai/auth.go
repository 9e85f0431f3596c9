package ocigenai

import (
	"crypto/rsa"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"
	"github.com/oracle/oci-go-sdk/v65/common/auth"
)

// Auth modes, matching the gateway's `auth` setting.
const (
	AuthAPIKey            = "api_key"
	AuthConfigFile        = "config_file"
	AuthInstancePrincipal = "instance_principal"
	AuthResourcePrincipal = "resource_principal"
)

// Credentials say how the gateway proves its identity to OCI.
type Credentials struct {
	Mode string // one of the Auth* constants; empty means api_key

	// api_key: the user principal, the private key already read into memory.
	Tenancy, User, Fingerprint, Region string
	PrivateKeyPEM                      []byte
	PassPhrase                         string

	// config_file: an OCI CLI config file and profile (API key or security_token_file session profiles).
	ConfigFile, Profile string
}

// Identity is a ready signer plus what the principal knows about itself.
type Identity struct {
	Keys        common.KeyProvider
	Region      string // region of the principal, if it knows one
	Compartment string // resource principal's compartment claim, if any
}

// NewIdentity builds the key provider for c. It parses keys once; token-based providers refresh themselves.
func NewIdentity(c Credentials) (*Identity, error) {
	switch c.Mode {
	case "", AuthAPIKey:
		key, err := common.PrivateKeyFromBytesWithPassword(c.PrivateKeyPEM, []byte(c.PassPhrase))
		if err != nil {
			return nil, fmt.Errorf("read OCI private key: %w", err)
		}
		return &Identity{Keys: staticKey{key: key, id: c.Tenancy + "/" + c.User + "/" + c.Fingerprint}, Region: c.Region}, nil
	case AuthConfigFile:
		p, err := common.ConfigurationProviderFromFileWithProfile(c.ConfigFile, c.Profile, c.PassPhrase)
		if err != nil {
			return nil, fmt.Errorf("OCI config file %s: %w", c.ConfigFile, err)
		}
		return fromProvider(&cachedKey{src: p, ttl: time.Minute}, p, c.Region)
	case AuthInstancePrincipal:
		var p common.ConfigurationProvider
		var err error
		if c.Region != "" {
			p, err = auth.InstancePrincipalConfigurationProviderForRegion(common.StringToRegion(c.Region))
		} else {
			p, err = auth.InstancePrincipalConfigurationProvider()
		}
		if err != nil {
			return nil, fmt.Errorf("instance principal: %w", err)
		}
		return fromProvider(p, p, c.Region)
	case AuthResourcePrincipal:
		p, err := auth.ResourcePrincipalConfigurationProvider()
		if err != nil {
			return nil, fmt.Errorf("resource principal: %w", err)
		}
		id, err := fromProvider(p, p, c.Region)
		if err != nil {
			return nil, err
		}
		if v, err := p.GetClaim("res_compartment"); err == nil {
			id.Compartment, _ = v.(string)
		}
		return id, nil
	}
	return nil, fmt.Errorf("unknown auth mode %q", c.Mode)
}

func fromProvider(keys common.KeyProvider, p common.ConfigurationProvider, region string) (*Identity, error) {
	if region == "" {
		region, _ = p.Region()
	}
	// Fail at start-up, not on the first request, when the credentials cannot produce a key.
	if _, err := keys.KeyID(); err != nil {
		return nil, fmt.Errorf("OCI credentials: %w", err)
	}
	return &Identity{Keys: keys, Region: region}, nil
}

// RegionalEndpoint is the inference endpoint of region, from the SDK's region table (realm domains included).
func RegionalEndpoint(region string) string {
	return serviceEndpoint(region, "generativeai", "https://inference.generativeai.{region}.oci.{secondLevelDomain}")
}

// serviceEndpoint fills an SDK host template for region ("" when region is).
func serviceEndpoint(region, service, template string) string {
	if region == "" {
		return ""
	}
	return common.StringToRegion(strings.TrimSpace(region)).EndpointForTemplate(service, template)
}

// staticKey is an API-key principal whose key was parsed once; the SDK's raw provider re-parses the PEM on
// every signature.
type staticKey struct {
	key *rsa.PrivateKey
	id  string
}

func (k staticKey) PrivateRSAKey() (*rsa.PrivateKey, error) { return k.key, nil }
func (k staticKey) KeyID() (string, error)                  { return k.id, nil }

// cachedKey keeps a file-based provider's key for ttl, so a request does not re-read and re-parse files while
// `oci session refresh` rewrites of the token file are still picked up.
type cachedKey struct {
	src common.KeyProvider
	ttl time.Duration

	mu      sync.Mutex
	key     *rsa.PrivateKey
	id      string
	expires time.Time
}

func (c *cachedKey) load() (*rsa.PrivateKey, string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key != nil && time.Now().Before(c.expires) {
		return c.key, c.id, nil
	}
	key, err := c.src.PrivateRSAKey()
	if err != nil {
		return nil, "", err
	}
	id, err := c.src.KeyID()
	if err != nil {
		return nil, "", err
	}
	c.key, c.id, c.expires = key, id, time.Now().Add(c.ttl)
	return key, id, nil
}

func (c *cachedKey) PrivateRSAKey() (*rsa.PrivateKey, error) { k, _, err := c.load(); return k, err }
func (c *cachedKey) KeyID() (string, error)                  { _, id, err := c.load(); return id, err }
