package handler

import (
	"crypto/subtle"
	"slices"
	"strings"
	"sync/atomic"
)

// KeySet is the set of client keys the handler accepts. It can be replaced while requests are served (keys read
// from OCI Vault rotate without a restart); each request sees one whole set, old or new, never a mix.
type KeySet struct{ keys atomic.Pointer[[]Key] }

// NewKeySet returns a set holding keys.
func NewKeySet(keys []Key) *KeySet {
	s := &KeySet{}
	s.Replace(keys)
	return s
}

// Replace makes keys the accepted set from the next request on; requests already authenticated are not affected.
func (s *KeySet) Replace(keys []Key) {
	k := append([]Key(nil), keys...)
	s.keys.Store(&k)
}

// Len is the number of keys in the set.
func (s *KeySet) Len() int { return len(*s.keys.Load()) }

// secret is the set's key material in a fixed order, to derive keys from: every replica holding the same set
// derives the same; empty for an empty set.
func (s *KeySet) secret() []byte {
	var ks []string
	for _, k := range *s.keys.Load() {
		ks = append(ks, k.Key)
	}
	slices.Sort(ks)
	return []byte(strings.Join(ks, "\n"))
}

// match returns the name of the key equal to given. It compares against every key in constant time, so the
// time taken does not reveal which key (if any) matched.
func (s *KeySet) match(given string) (name string, ok bool) {
	found := 0
	for _, k := range *s.keys.Load() {
		if subtle.ConstantTimeCompare([]byte(given), []byte(k.Key)) == 1 && found == 0 {
			name, found = k.Name, 1
		}
	}
	return name, found == 1
}
