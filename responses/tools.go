package responses

import (
	"encoding/json"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// Tools reach the model as plain functions:
//   - function: as it is;
//   - custom (freeform or grammar, like Codex's apply_patch): a function taking one string, `input`, with the
//     grammar in its description; calls go back as custom_tool_call with that string as `input`;
//   - namespace: each member becomes a function named "<namespace>__<member>" (members of the reserved
//     namespace "functions" keep their own names); calls go back with namespace and name as separate fields;
//   - hosted tools the gateway cannot run (web_search, file_search, code_interpreter, …) are left out and
//     listed in Turn.Ignored.

// nsSep joins a namespace and a member name. OpenAI-style function names allow [A-Za-z0-9_-]; a dot is not
// portable across OCI's model families (UNCONFIRMED which accept it), so two underscores it is.
const nsSep = "__"

// toolRef is what a flattened function name stands for.
type toolRef struct {
	namespace, name string
	custom          bool
}

// toolset is the request's tools as hub functions, with the way back from a function name to the tool.
type toolset struct {
	hub     []hub.Tool
	byFlat  map[string]toolRef
	ignored []string // hosted tool types left out, once each
}

// flat is the function name the model sees for a (namespace, name) pair.
func flat(namespace, name string) string {
	if namespace == "" || namespace == "functions" {
		return name
	}
	return namespace + nsSep + name
}

// ref maps a function name the model called back to the client's tool. A name no tool has (the model made it
// up) stays a plain function call under that name.
func (ts *toolset) ref(name string) toolRef {
	if r, ok := ts.byFlat[name]; ok {
		return r
	}
	return toolRef{name: name}
}

// add adds tools (from `tools`, or loaded later by tool_search_output / additional_tools), param naming them.
func (ts *toolset) add(tools []Tool, param string) *hub.Error {
	for i := range tools {
		t := &tools[i]
		p := param + "[" + itoa(i) + "]"
		switch t.Type {
		case "function", "custom":
			if err := ts.addFunction(t, nil, p); err != nil {
				return err
			}
		case "namespace":
			if t.Name == "" {
				return invalid(p+".name", "A namespace tool needs a name.")
			}
			for j := range t.Tools {
				m := &t.Tools[j]
				if m.Type != "function" && m.Type != "custom" {
					return invalid(p+".tools["+itoa(j)+"].type", "A namespace holds function and custom tools, not "+quote(m.Type)+".")
				}
				if err := ts.addFunction(m, t, p+".tools["+itoa(j)+"]"); err != nil {
					return err
				}
			}
		case "":
			return invalid(p+".type", "Each tool needs a type.")
		default: // hosted: web_search*, file_search, code_interpreter, image_generation, mcp, tool_search, computer*, shell, …
			ts.ignore(t.Type)
		}
	}
	return nil
}

func (ts *toolset) ignore(typ string) {
	for _, x := range ts.ignored {
		if x == typ {
			return
		}
	}
	ts.ignored = append(ts.ignored, typ)
}

// addFunction adds one function or custom tool (a member of ns, when not nil) under its flattened name.
func (ts *toolset) addFunction(t, ns *Tool, p string) *hub.Error {
	namespace, desc := "", t.Description
	if ns != nil {
		namespace = ns.Name
		if desc == "" {
			desc = ns.Description
		}
	}
	if t.Name == "" {
		return invalid(p+".name", "A "+t.Type+" tool needs a name.")
	}
	name := flat(namespace, t.Name)
	if prev, dup := ts.byFlat[name]; dup {
		if prev == (toolRef{namespace: namespace, name: t.Name, custom: t.Type == "custom"}) {
			return nil // the same tool again (loaded twice by tool_search): keep the first
		}
		return invalid(p+".name", "Two tools would both reach the model as "+quote(name)+"; rename one of them.")
	}
	if ts.byFlat == nil {
		ts.byFlat = map[string]toolRef{}
	}
	ts.byFlat[name] = toolRef{namespace: namespace, name: t.Name, custom: t.Type == "custom"}
	fd := hub.FunctionDef{Name: name, Description: desc, Parameters: t.Parameters, Strict: t.Strict}
	if t.Type == "custom" {
		fd.Description, fd.Parameters, fd.Strict = customDescription(desc, t.Format), customParameters, nil
	}
	ts.hub = append(ts.hub, hub.Tool{Type: "function", Function: fd})
	return nil
}

// customParameters is the one-string schema of a custom tool.
var customParameters = hub.RawObject(`{"type":"object","properties":{"input":{"type":"string","description":"The raw input of the tool, exactly as its format below says: not JSON-encoded, not wrapped."}},"required":["input"],"additionalProperties":false}`)

// customDescription keeps the tool's own description and adds its format, so the model knows what to write.
func customDescription(d string, f *CustomFormat) string {
	if f == nil || f.Type == "" || f.Type == "text" || f.Definition == "" {
		return d
	}
	syntax := f.Syntax
	if syntax == "" {
		syntax = "grammar"
	}
	return strings.TrimSpace(d + "\n\nThe input must match this " + syntax + " definition:\n" + f.Definition)
}

// callArguments is the hub arguments of a custom tool call: {"input": "<raw input>"}.
func callArguments(input string) string {
	b, _ := json.Marshal(struct {
		Input string `json:"input"`
	}{input})
	return string(b)
}

// customInput recovers a custom tool's raw input from the model's arguments: their `input` string, or the
// arguments themselves when the model did not wrap them.
func customInput(args string) string {
	var v struct {
		Input *string `json:"input"`
	}
	if json.Unmarshal([]byte(args), &v) == nil && v.Input != nil {
		return *v.Input
	}
	return args
}
