package strictjson

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Shaper is implemented by a type whose own UnmarshalJSON accepts more than one JSON kind (a message content
// that is a string or an array of parts, say). JSONShapes lists the Go types that describe what it decodes
// structurally: a struct or map type for its object form, a slice or array type for its array form. The
// listed types are read field by field even when they have an UnmarshalJSON of their own.
type Shaper interface {
	JSONShapes() []reflect.Type
}

// shape is what the scan knows about one JSON value position. The zero shape knows nothing: its keys are
// only checked for duplicates.
type shape struct {
	fields map[string]*shape // object form decoded into a struct: exact JSON name → value shape
	folded map[string]string // the same names by their case-folded form → exact name
	values *shape            // object form decoded into a map: the shape of every value
	elem   *shape            // array form: the shape of every element
}

var (
	shapes          sync.Map // reflect.Type → *shape
	shaperType      = reflect.TypeFor[Shaper]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// shapeOf returns the cached shape of t, building it on first use.
func shapeOf(t reflect.Type) *shape {
	if s, ok := shapes.Load(t); ok {
		return s.(*shape)
	}
	s := newBuilder().build(t)
	actual, _ := shapes.LoadOrStore(t, s)
	return actual.(*shape)
}

// builder builds the shapes of one type graph; seen breaks cycles (AllowedTools holds ToolChoices).
type builder struct{ seen map[reflect.Type]*shape }

func newBuilder() *builder { return &builder{seen: map[reflect.Type]*shape{}} }

func (b *builder) build(t reflect.Type) *shape {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s, ok := b.seen[t]; ok {
		return s
	}
	s := &shape{}
	b.seen[t] = s
	if implements(t, shaperType) {
		for _, alt := range reflect.Zero(t).Interface().(Shaper).JSONShapes() {
			b.fill(s, alt)
		}
		return s
	}
	if implements(t, unmarshalerType) || implements(t, textType) {
		return s // decodes itself: nothing is known of its keys
	}
	b.fill(s, t)
	return s
}

// fill adds what t says about objects or arrays to s.
func (b *builder) fill(s *shape, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		s.fields, s.folded = map[string]*shape{}, map[string]string{}
		for name, ft := range jsonFields(t) {
			s.fields[name] = b.build(ft)
			s.folded[string(fold(nil, []byte(name)))] = name
		}
	case reflect.Map:
		s.values = b.build(t.Elem())
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() != reflect.Uint8 { // []byte is a base64 string
			s.elem = b.build(t.Elem())
		}
	}
}

// implements reports whether t or *t has the method set of iface.
func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || reflect.PointerTo(t).Implements(iface)
}

// jsonFields lists the JSON names of t's fields with their types, as encoding/json sees them: tags rename or
// hide (-) fields, unexported fields are skipped, and fields of embedded structs are promoted unless a field of
// the same name sits at a shallower depth.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	depth := map[string]int{}
	var walk func(t reflect.Type, d int)
	walk = func(t reflect.Type, d int) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			ft := f.Type
			if f.Anonymous && name == "" {
				for ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft, d+1)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if prev, ok := depth[name]; !ok || d < prev {
				out[name], depth[name] = f.Type, d
			}
		}
	}
	walk(t, 0)
	return out
}

// fold appends the case-folded form of name to dst, exactly as encoding/json folds the keys it matches to
// fields: ASCII letters to upper case, other runes to the smallest rune of their Unicode fold orbit (so the
// Kelvin sign K and "k" fold alike).
func fold(dst, name []byte) []byte {
	for i := 0; i < len(name); {
		c := name[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(name[i:])
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				r = r2
				break
			}
			r = r2
		}
		dst = utf8.AppendRune(dst, r)
		i += n
	}
	return dst
}
