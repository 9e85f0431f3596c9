// Package strictjson rejects JSON bodies whose keys mean two things: a key given twice in one object, or a key
// that encoding/json would match to a known field although its case differs ("MODEL" for "model").
package strictjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// maxDepth matches encoding/json's nesting limit: deeper input is left to the decoder, which rejects it.
const maxDepth = 10000

// smallObject is the key count up to which duplicates are found by comparing keys pairwise, without a map.
const smallObject = 16

// KeyError names the key that makes a body ambiguous.
type KeyError struct {
	Path  string // the object holding the key: "" for the top level, "messages[0]", "tools[1].function"
	Key   string // the key as sent (decoded)
	Field string // for a case mismatch, the field it resembles; "" for a duplicate
}

func (e *KeyError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("The key %s differs from the field %s only by case; JSON keys are case-sensitive, send %s.",
			strconv.Quote(e.Key), strconv.Quote(e.Field), strconv.Quote(e.Field))
	}
	where := "the request body"
	if e.Path != "" {
		where = e.Path
	}
	return fmt.Sprintf("The key %s appears more than once in %s; send each key once.", strconv.Quote(e.Key), where)
}

// Param is the key's full path, as an error's param: "model", "messages[0].content[1].TEXT".
func (e *KeyError) Param() string {
	if e.Path == "" {
		return e.Key
	}
	return e.Path + "." + e.Key
}

// Check scans data once, without building any value, and reports the first duplicate key (in any object) or
// case-variant key (in objects that decode into a struct of t) as a *KeyError. Unknown keys are fine. Input
// that is not valid JSON yields nil: the decoder that runs next reports it better.
func Check(data []byte, t reflect.Type) error {
	s := scanner{data: data}
	s.value(shapeOf(t), 0)
	if s.err != nil {
		return s.err
	}
	return nil
}

// scanner walks one JSON text. It stops at the first key error or syntax error (bad is set for the latter).
type scanner struct {
	data    []byte
	pos     int
	keys    [][]byte // keys of the objects being scanned, innermost last
	path    []step   // where the current value sits, for error messages
	scratch []byte   // fold buffer
	err     *KeyError
	bad     bool
}

func (s *scanner) stopped() bool { return s.err != nil || s.bad }

func (s *scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

// step is one element of a path: an object key, or an array index when key is nil.
type step struct {
	key   []byte
	index int
}

// value scans one JSON value described by sh (nil: nothing known).
func (s *scanner) value(sh *shape, depth int) {
	s.skipSpace()
	if s.pos >= len(s.data) || depth > maxDepth {
		s.bad = true
		return
	}
	switch s.data[s.pos] {
	case '{':
		s.object(sh, depth+1)
	case '[':
		s.array(sh, depth+1)
	case '"':
		s.str()
	default:
		s.literal()
	}
}

func (s *scanner) array(sh *shape, depth int) {
	s.pos++ // [
	var elem *shape
	if sh != nil {
		elem = sh.elem
	}
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return
	}
	for i := 0; ; i++ {
		s.path = append(s.path, step{index: i})
		s.value(elem, depth)
		s.path = s.path[:len(s.path)-1]
		if s.stopped() || !s.separator(']') {
			return
		}
	}
}

func (s *scanner) object(sh *shape, depth int) {
	s.pos++ // {
	base := len(s.keys)
	defer func() { s.keys = s.keys[:base] }()
	var seen map[string]struct{} // once the object outgrows pairwise comparison
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return
	}
	for {
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			s.bad = true
			return
		}
		key := s.key()
		if s.bad {
			return
		}
		if s.duplicate(key, base, &seen) {
			s.fail(key, "")
			return
		}
		next := s.member(sh, key)
		if s.err != nil {
			return
		}
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			s.bad = true
			return
		}
		s.pos++
		s.path = append(s.path, step{key: key})
		s.value(next, depth)
		s.path = s.path[:len(s.path)-1]
		if s.stopped() || !s.separator('}') {
			return
		}
	}
}

// separator reads what follows an element or member: a comma (more follow: true) or closer (false, as on a
// syntax error).
func (s *scanner) separator(closer byte) bool {
	s.skipSpace()
	if s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ',':
			s.pos++
			return true
		case closer:
			s.pos++
			return false
		}
	}
	s.bad = true
	return false
}

// duplicate records key among the current object's keys (from index base) and reports whether it was there.
func (s *scanner) duplicate(key []byte, base int, seen *map[string]struct{}) bool {
	if *seen != nil {
		if _, dup := (*seen)[string(key)]; dup {
			return true
		}
		(*seen)[string(key)] = struct{}{}
		return false
	}
	for _, k := range s.keys[base:] {
		if string(k) == string(key) {
			return true
		}
	}
	s.keys = append(s.keys, key)
	if len(s.keys)-base > smallObject {
		*seen = make(map[string]struct{}, 2*smallObject)
		for _, k := range s.keys[base:] {
			(*seen)[string(k)] = struct{}{}
		}
	}
	return false
}

// member returns the shape of key's value in an object of shape sh, or records a case mismatch.
func (s *scanner) member(sh *shape, key []byte) *shape {
	switch {
	case sh == nil:
		return nil
	case sh.values != nil:
		return sh.values
	case sh.fields == nil:
		return nil
	}
	if f, ok := sh.fields[string(key)]; ok {
		return f
	}
	s.scratch = fold(s.scratch[:0], key)
	if name, ok := sh.folded[string(s.scratch)]; ok {
		s.fail(key, name)
	}
	return nil // unknown keys are fine
}

func (s *scanner) fail(key []byte, field string) {
	var path []byte
	for _, p := range s.path {
		switch {
		case p.key == nil:
			path = append(strconv.AppendInt(append(path, '['), int64(p.index), 10), ']')
		case len(path) > 0:
			path = append(append(path, '.'), p.key...)
		default:
			path = append(path, p.key...)
		}
	}
	s.err = &KeyError{Path: string(path), Key: string(key), Field: field}
}

// key reads a string at s.pos and returns its decoded bytes: the raw bytes when they need no decoding (the
// usual case), else what encoding/json makes of them (escapes resolved, invalid UTF-8 replaced).
func (s *scanner) key() []byte {
	start := s.pos
	if s.str(); s.bad {
		return nil
	}
	raw := s.data[start+1 : s.pos-1]
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return raw
	}
	var k string
	if json.Unmarshal(s.data[start:s.pos], &k) != nil {
		s.bad = true
		return nil
	}
	return []byte(k)
}

// str skips the string at s.pos. Finding its end is a search for the next quote (vectorised by
// bytes.IndexByte) that is not escaped, i.e. not preceded by an odd run of backslashes.
func (s *scanner) str() {
	i := s.pos + 1
	for {
		j := bytes.IndexByte(s.data[i:], '"')
		if j < 0 {
			s.bad = true
			return
		}
		i += j
		n := 0
		for k := i - 1; k > s.pos && s.data[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			s.pos = i + 1
			return
		}
		i++
	}
}

// literal skips a number, true, false or null.
func (s *scanner) literal() {
	start := s.pos
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			if s.pos == start {
				s.bad = true
			}
			return
		case '{', '[', '"', ':':
			s.bad = true
			return
		}
		s.pos++
	}
}
