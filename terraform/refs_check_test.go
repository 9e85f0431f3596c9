package terraform_test

import (
	"regexp"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Reference checks cover what `terraform validate` would catch beyond the provider
// schema: undeclared var/local/resource references, indexing mistakes on count and
// for_each resources, and undocumented or unused variables.

type declarations struct {
	variables map[string]*hclsyntax.Block
	locals    map[string]bool
	resources map[string]*hclsyntax.Block // "type.name" or "data.type.name"
}

func declare(m *module) (declarations, problems) {
	d := declarations{
		variables: map[string]*hclsyntax.Block{},
		locals:    map[string]bool{},
		resources: map[string]*hclsyntax.Block{},
	}
	var p problems
	for _, b := range m.blocks() {
		var key string
		switch {
		case b.Type == "variable" && len(b.Labels) == 1:
			if d.variables[b.Labels[0]] != nil {
				p.add(b.DefRange(), "variable."+b.Labels[0], "declared twice")
			}
			d.variables[b.Labels[0]] = b
		case b.Type == "locals":
			for name, a := range b.Body.Attributes {
				if d.locals[name] {
					p.add(a.NameRange, "local."+name, "declared twice")
				}
				d.locals[name] = true
			}
		case b.Type == "resource" && len(b.Labels) == 2:
			key = b.Labels[0] + "." + b.Labels[1]
		case b.Type == "data" && len(b.Labels) == 2:
			key = "data." + b.Labels[0] + "." + b.Labels[1]
		}
		if key != "" {
			if d.resources[key] != nil {
				p.add(b.DefRange(), key, "declared twice")
			}
			d.resources[key] = b
		}
	}
	return d, p
}

// checkReferences walks every expression of m. Resource references are recognised by
// their type being in the provider schema, so iterator names like rate_limiting.value
// in dynamic blocks are left alone.
func checkReferences(m *module, s *providerSchema) problems {
	d, p := declare(m)
	used := map[string]bool{}
	for _, blk := range m.blocks() {
		hclsyntax.VisitAll(blk, func(n hclsyntax.Node) hcl.Diagnostics {
			e, ok := n.(*hclsyntax.ScopeTraversalExpr)
			if !ok {
				return nil
			}
			tr, rng := e.Traversal, e.SrcRange
			switch root := tr.RootName(); {
			case root == "var":
				name := stepName(tr, 1)
				used[name] = true
				if d.variables[name] == nil {
					p.add(rng, "var."+name, "reference to undeclared variable")
				}
			case root == "local":
				if name := stepName(tr, 1); !d.locals[name] {
					p.add(rng, "local."+name, "reference to undeclared local value")
				}
			case root == "data":
				checkResourceRef(&p, d, rng, "data."+stepName(tr, 1)+"."+stepName(tr, 2), tr[min(3, len(tr)):])
			case s.isResourceType(root):
				checkResourceRef(&p, d, rng, root+"."+stepName(tr, 1), tr[min(2, len(tr)):])
			}
			return nil
		})
	}
	for _, name := range sortedKeys(d.variables) {
		if !used[name] {
			p.add(d.variables[name].DefRange(), "variable."+name, "declared but never used")
		}
	}
	return p
}

// checkResourceRef enforces `x[0].id` for count/for_each resources and `x.id` otherwise.
func checkResourceRef(p *problems, d declarations, rng hcl.Range, addr string, rest hcl.Traversal) {
	blk := d.resources[addr]
	if blk == nil {
		p.add(rng, addr, "reference to undeclared resource or data source")
		return
	}
	if len(rest) == 0 {
		return // whole object or collection, e.g. length(x) or a splat
	}
	repeated := blk.Body.Attributes["count"] != nil || blk.Body.Attributes["for_each"] != nil
	_, indexed := rest[0].(hcl.TraverseIndex)
	switch {
	case repeated && !indexed:
		p.add(rng, addr, "has count/for_each: reference an instance, e.g. %s[0]", addr)
	case !repeated && indexed:
		p.add(rng, addr, "has no count/for_each and cannot be indexed")
	}
}

func stepName(tr hcl.Traversal, i int) string {
	if i < len(tr) {
		if a, ok := tr[i].(hcl.TraverseAttr); ok {
			return a.Name
		}
	}
	return ""
}

// checkVariableDocs requires a literal, non-empty description and a type on every variable.
func checkVariableDocs(m *module) problems {
	d, p := declare(m)
	for _, name := range sortedKeys(d.variables) {
		b := d.variables[name]
		where := "variable." + name
		if b.Body.Attributes["type"] == nil {
			p.add(b.DefRange(), where, "missing type")
		}
		desc := b.Body.Attributes["description"]
		if desc == nil {
			p.add(b.DefRange(), where, "missing description")
			continue
		}
		v, diags := desc.Expr.Value(nil)
		if diags.HasErrors() || v.Type() != cty.String || v.IsNull() || v.AsString() == "" {
			p.add(desc.NameRange, where, "description must be a non-empty literal string")
		}
	}
	return p
}

// commentedAssignment matches documented-but-disabled lines such as `# rate_limit_per_second = 10`.
var commentedAssignment = regexp.MustCompile(`(?m)^\s*#\s*([a-z][a-z0-9_]*)\s*=`)

// checkTfvarsExample keeps the example in step with variables.tf: every name it sets
// (or shows commented out) is declared, and every required variable is set.
func checkTfvarsExample(m *module, name string, src []byte) problems {
	d, p := declare(m)
	ex, err := parseModule(map[string][]byte{name: src})
	if err != nil {
		p.add(hcl.Range{Filename: name}, name, "parse: %v", err)
		return p
	}
	body := ex.files[name]
	for _, k := range sortedKeys(body.Attributes) {
		if d.variables[k] == nil {
			p.add(body.Attributes[k].NameRange, name, "sets undeclared variable %q", k)
		}
	}
	for _, match := range commentedAssignment.FindAllSubmatch(src, -1) {
		if k := string(match[1]); d.variables[k] == nil {
			p.add(hcl.Range{Filename: name}, name, "comment shows undeclared variable %q", k)
		}
	}
	var required []string
	for k, b := range d.variables {
		if b.Body.Attributes["default"] == nil && body.Attributes[k] == nil {
			required = append(required, k)
		}
	}
	sort.Strings(required)
	for _, k := range required {
		p.add(hcl.Range{Filename: name}, name, "required variable %q is not set", k)
	}
	return p
}
