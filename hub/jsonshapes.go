package hub

import "reflect"

// The union types say which Go types describe their object and array forms, so that strictjson can check the
// keys inside them (a "TEXT" in a content part, a "NAME" in a tool_choice) like any other field.

// JSONShapes: the array form of a content is a list of parts (the string form has no keys).
func (Content) JSONShapes() []reflect.Type { return []reflect.Type{reflect.TypeFor[[]ContentPart]()} }

// JSONShapes: the object form of a tool_choice has ToolChoice's own fields.
func (ToolChoice) JSONShapes() []reflect.Type { return []reflect.Type{reflect.TypeFor[ToolChoice]()} }
