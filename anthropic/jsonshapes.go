package anthropic

import "reflect"

// The union types' shapes for the strict key check hub.DecodeJSON runs (strictjson.Shaper).

// JSONShapes: the array form of a content is a list of blocks (the string form has no keys).
func (Content) JSONShapes() []reflect.Type { return []reflect.Type{reflect.TypeFor[[]Block]()} }

// JSONShapes: the object form of a source has Source's own fields (the string form has no keys).
func (Source) JSONShapes() []reflect.Type { return []reflect.Type{reflect.TypeFor[Source]()} }
