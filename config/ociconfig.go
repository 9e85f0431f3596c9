package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"gopkg.in/ini.v1"
)

// ociProfile reads one profile of an OCI CLI config file. Like the OCI CLI and
// the SDK's CustomProfileConfigProvider, missing keys fall back to [DEFAULT].
type ociProfile struct {
	profile, def *ini.Section
}

func (p ociProfile) get(key string) string {
	for _, sec := range []*ini.Section{p.profile, p.def} {
		if sec == nil {
			continue
		}
		for _, k := range sec.Keys() {
			if strings.EqualFold(k.Name(), key) {
				return strings.TrimSpace(k.Value())
			}
		}
	}
	return ""
}

// configFileIdentity checks auth = config_file: the OCI config file and profile
// exist and hold a usable identity (API key or security_token_file session).
// Tenancy and Region come from the profile unless set explicitly.
func (l *loader) configFileIdentity(c *Config) {
	c.OCIConfigFile, c.Profile = l.expand(DefaultOCIConfigFile), DefaultProfile
	fileSrc := "default " + DefaultOCIConfigFile
	if v, ok := l.text(keyOCIConfigFile); ok {
		c.OCIConfigFile, fileSrc = l.filePath(v), v.src.String()
	}
	if v, ok := l.text(keyProfile); ok {
		c.Profile = v.v
	}
	if p, ok := l.readProfile(c, fileSrc); ok {
		l.profileIdentity(c, p, fmt.Sprintf("profile [%s] of %s", c.Profile, c.OCIConfigFile))
	}
}

// readProfile reads c.Profile from c.OCIConfigFile (fileSrc says where that name came from).
func (l *loader) readProfile(c *Config, fileSrc string) (ociProfile, bool) {
	data, err := os.ReadFile(c.OCIConfigFile)
	if err != nil {
		hint := ""
		if errors.Is(err, fs.ErrNotExist) {
			hint = " (create it with `oci setup config` or `oci session authenticate`, or " + l.where(keyOCIConfigFile) + ")"
		}
		l.problem("%s (%s): cannot read the OCI config file: %v%s", keyOCIConfigFile, fileSrc, err, hint)
		return ociProfile{}, false
	}
	f, err := ini.LoadSources(iniOptions, data)
	if err != nil {
		l.problem("%s (%s): %s is not a valid OCI config file", keyOCIConfigFile, fileSrc, c.OCIConfigFile)
		return ociProfile{}, false
	}
	sec, err := f.GetSection(c.Profile)
	if err != nil {
		l.problem("%s: no profile [%s] in %s (profiles: %s); %s", keyProfile, c.Profile, c.OCIConfigFile, strings.Join(f.SectionStrings(), ", "), l.where(keyProfile))
		return ociProfile{}, false
	}
	p := ociProfile{profile: sec}
	if c.Profile != ini.DefaultSection {
		p.def = f.Section(ini.DefaultSection)
	}
	return p, true
}

// profileIdentity checks the identity the profile p (described by where) holds, taking tenancy and region from
// it unless they are set explicitly.
func (l *loader) profileIdentity(c *Config, p ociProfile, where string) {
	need := func(key string) string {
		v := p.get(key)
		if v == "" {
			l.problem("%s: %s is missing", where, key)
		}
		return v
	}

	if v, ok := l.text(keyTenancy); v.set {
		c.Tenancy = l.ocidValue(v, ok, keyTenancy, "ocid1.tenancy.")
	} else if t := need("tenancy"); t != "" {
		if msg := checkOCID(t, "ocid1.tenancy."); msg != "" {
			l.problem("%s: tenancy: %s", where, msg)
		} else {
			c.Tenancy = t
		}
	}

	if l.get(keyRegion).set {
		l.setRegion(c, "")
	} else if r := p.get("region"); r != "" {
		if rr, known := resolveRegion(r); known || l.get(keyEndpoint).set {
			c.Region = rr
		} else {
			l.problem("%s: region: unknown region %s (not in the OCI SDK region table)", where, show(r))
		}
	} else if !l.get(keyEndpoint).set {
		l.problem("%s: region is missing; add it there or %s", where, l.where(keyRegion))
	}

	if tok := p.get("security_token_file"); tok != "" { // session profile (`oci session authenticate`)
		if st, err := os.Stat(l.expand(tok)); err != nil {
			l.problem("%s: security_token_file: %v", where, err)
		} else if st.Size() == 0 {
			l.problem("%s: security_token_file %s is empty; run `oci session authenticate` again", where, tok)
		}
	} else {
		if u := need("user"); u != "" {
			if msg := checkOCID(u, "ocid1.user."); msg != "" {
				l.problem("%s: user: %s", where, msg)
			}
		}
		if fp := need("fingerprint"); fp != "" {
			if msg := checkFingerprint(fp); msg != "" {
				l.problem("%s: fingerprint: %s", where, msg)
			}
		}
	}
	if kf := need("key_file"); kf != "" {
		pass := p.get("pass_phrase")
		if pass == "" {
			pass = p.get("passphrase")
		}
		fp, msg := readKeyFile(l.expand(kf), pass)
		if msg != "" {
			l.problem("%s: key_file: %s", where, msg)
		}
		if conf := p.get("fingerprint"); checkFingerprint(conf) == "" && p.get("security_token_file") == "" {
			if msg := fingerprintMismatch(conf, fp, "its key_file "+kf); msg != "" {
				l.problem("%s: fingerprint: %s", where, msg)
			}
		}
	}
}
