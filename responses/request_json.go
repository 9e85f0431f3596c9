package responses

import (
	"encoding/json"
	"reflect"

	"github.com/ociai/ociai-proxy/hub"
)

// The union types say which Go types describe their object and array forms, so that the strict key check
// (package strictjson, run by hub.DecodeJSON) reads inside them like any other field.

// JSONShapes: the array form of input is a list of items.
func (Input) JSONShapes() []reflect.Type { return []reflect.Type{reflect.TypeFor[[]Item]()} }

// JSONShapes: the array form of a content (or a tool output) is a list of parts.
func (Content) JSONShapes() []reflect.Type { return []reflect.Type{reflect.TypeFor[[]Part]()} }

// JSONShapes: tools is a list of tools.
func (ToolList) JSONShapes() []reflect.Type { return []reflect.Type{reflect.TypeFor[[]Tool]()} }

// UnmarshalJSON accepts a string, a list of items or null.
func (in *Input) UnmarshalJSON(b []byte) error {
	var err error
	in.IsSet, err = hub.DecodeTextOrList(b, &in.Text, &in.Items, "input items")
	return err
}

// UnmarshalJSON accepts a string, a list of parts or null.
func (c *Content) UnmarshalJSON(b []byte) error {
	_, err := hub.DecodeTextOrList(b, &c.Text, &c.Parts, "content parts")
	return err
}

// UnmarshalJSON decodes the tools and keeps their JSON.
func (tl *ToolList) UnmarshalJSON(b []byte) error {
	*tl = ToolList{}
	if err := json.Unmarshal(b, &tl.List); err != nil {
		return err
	}
	if tl.List != nil {
		tl.Raw = append(json.RawMessage(nil), b...)
	}
	return nil
}
