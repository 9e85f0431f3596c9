package terraform_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// This file holds a small offline stand-in for `terraform validate`: it checks the
// structure of resource, data and provider blocks against the JSON output of
// `terraform providers schema -json`, because the provider cannot be installed here.
// It reads hclsyntax bodies directly (not gohcl) so unknown arguments stay visible.

const ociProviderAddr = "registry.terraform.io/oracle/oci"

type schemaAttribute struct {
	Required bool `json:"required"`
	Optional bool `json:"optional"`
	Computed bool `json:"computed"`
}

// settable reports whether configuration may assign the attribute; computed-only
// attributes are exported by the provider and rejected by Terraform if set.
func (a schemaAttribute) settable() bool { return a.Required || a.Optional }

type schemaBlockType struct {
	NestingMode string      `json:"nesting_mode"`
	MinItems    int         `json:"min_items"`
	MaxItems    int         `json:"max_items"`
	Block       schemaBlock `json:"block"`
}

// maxItems returns the statically enforceable upper bound, 0 meaning unlimited.
func (b schemaBlockType) maxItems() int {
	if b.NestingMode == "single" || b.NestingMode == "group" {
		return 1
	}
	return b.MaxItems
}

type schemaBlock struct {
	Attributes map[string]schemaAttribute `json:"attributes"`
	BlockTypes map[string]schemaBlockType `json:"block_types"`
}

type providerSchema struct {
	Provider    schemaBlock
	Resources   map[string]schemaBlock
	DataSources map[string]schemaBlock
}

func (s *providerSchema) isResourceType(name string) bool {
	_, ok := s.Resources[name]
	return ok
}

func loadProviderSchema(path string) (*providerSchema, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	type entry struct {
		Block schemaBlock `json:"block"`
	}
	var doc struct {
		ProviderSchemas map[string]struct {
			Provider          entry            `json:"provider"`
			ResourceSchemas   map[string]entry `json:"resource_schemas"`
			DataSourceSchemas map[string]entry `json:"data_source_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p, ok := doc.ProviderSchemas[ociProviderAddr]
	if !ok {
		return nil, fmt.Errorf("%s: no schema for %s", path, ociProviderAddr)
	}
	s := &providerSchema{
		Provider:    p.Provider.Block,
		Resources:   make(map[string]schemaBlock, len(p.ResourceSchemas)),
		DataSources: make(map[string]schemaBlock, len(p.DataSourceSchemas)),
	}
	for name, e := range p.ResourceSchemas {
		s.Resources[name] = e.Block
	}
	for name, e := range p.DataSourceSchemas {
		s.DataSources[name] = e.Block
	}
	return s, nil
}

// module is a parsed Terraform module: one hclsyntax body per file name.
type module struct {
	files map[string]*hclsyntax.Body
}

// parseModule parses in-memory sources keyed by file name (the negative tests use this).
func parseModule(srcs map[string][]byte) (*module, error) {
	p := hclparse.NewParser()
	m := &module{files: make(map[string]*hclsyntax.Body, len(srcs))}
	for name, src := range srcs {
		f, diags := p.ParseHCL(src, name)
		if diags.HasErrors() {
			return nil, diags
		}
		m.files[name] = f.Body.(*hclsyntax.Body)
	}
	return m, nil
}

// loadModule parses every .tf file directly in dir, as Terraform does (no recursion).
func loadModule(dir string) (*module, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no .tf files in %s", dir)
	}
	srcs := make(map[string][]byte, len(paths))
	for _, p := range paths {
		if srcs[filepath.Base(p)], err = os.ReadFile(p); err != nil {
			return nil, err
		}
	}
	return parseModule(srcs)
}

// blocks returns the top-level blocks of every file, in file-name then source order.
func (m *module) blocks() []*hclsyntax.Block {
	names := make([]string, 0, len(m.files))
	for n := range m.files {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []*hclsyntax.Block
	for _, n := range names {
		out = append(out, m.files[n].Blocks...)
	}
	return out
}

// problems collects findings as "file:line,col: where: message".
type problems []string

func (p *problems) add(rng hcl.Range, where, format string, args ...any) {
	*p = append(*p, fmt.Sprintf("%s:%d,%d: %s: %s", rng.Filename, rng.Start.Line, rng.Start.Column, where, fmt.Sprintf(format, args...)))
}

// metaArgs are what Terraform itself handles at the top of a block, before the provider sees it.
type metaArgs struct {
	args   []string
	blocks []string
}

var (
	resourceMeta = metaArgs{args: []string{"count", "for_each", "depends_on", "provider"}, blocks: []string{"lifecycle", "provisioner", "connection"}}
	dataMeta     = metaArgs{args: []string{"count", "for_each", "depends_on", "provider"}, blocks: []string{"lifecycle"}}
	providerMeta = metaArgs{args: []string{"alias"}}
	nestedMeta   = metaArgs{} // inside nested blocks "count" etc. are ordinary attributes
)

// checkSchema checks every resource, data and provider "oci" block of m against s.
func checkSchema(m *module, s *providerSchema) problems {
	var p problems
	for _, b := range m.blocks() {
		switch b.Type {
		case "resource", "data":
			if len(b.Labels) != 2 {
				p.add(b.DefRange(), b.Type, "want 2 labels, got %d", len(b.Labels))
				continue
			}
			schemas, meta, kind := s.Resources, resourceMeta, "resource"
			if b.Type == "data" {
				schemas, meta, kind = s.DataSources, dataMeta, "data source"
			}
			typ, where := b.Labels[0], strings.Join(b.Labels, ".")
			if b.Type == "data" {
				where = "data." + where
			}
			sb, ok := schemas[typ]
			if !ok {
				p.add(b.DefRange(), where, "unknown %s type %q", kind, typ)
				continue
			}
			if b.Body.Attributes["count"] != nil && b.Body.Attributes["for_each"] != nil {
				p.add(b.DefRange(), where, "count and for_each are mutually exclusive")
			}
			checkBody(&p, b.Body, sb, where, meta)
		case "provider":
			if len(b.Labels) == 1 && b.Labels[0] == "oci" {
				checkBody(&p, b.Body, s.Provider, "provider.oci", providerMeta)
			}
		}
	}
	return p
}

// checkBody checks one block body (arguments, nested blocks, dynamic blocks) against sb.
func checkBody(p *problems, body *hclsyntax.Body, sb schemaBlock, where string, meta metaArgs) {
	for _, name := range sortedKeys(body.Attributes) {
		attr := body.Attributes[name]
		if slices.Contains(meta.args, name) {
			continue
		}
		a, ok := sb.Attributes[name]
		switch {
		case ok && !a.settable():
			p.add(attr.NameRange, where, "argument %q is computed-only and cannot be set", name)
		case ok:
		case sb.BlockTypes[name].NestingMode != "":
			p.add(attr.NameRange, where, "%q is a block, not an argument: write %s { ... }", name, name)
		default:
			p.add(attr.NameRange, where, "unknown argument %q", name)
		}
	}
	for _, name := range sortedKeys(sb.Attributes) {
		if sb.Attributes[name].Required && body.Attributes[name] == nil {
			p.add(body.SrcRange, where, "missing required argument %q", name)
		}
	}

	static := map[string]int{}   // literal nested blocks per type
	dynamic := map[string]bool{} // types also produced by dynamic blocks
	for _, blk := range body.Blocks {
		if slices.Contains(meta.blocks, blk.Type) {
			continue
		}
		if blk.Type == "dynamic" {
			if name, ok := checkDynamic(p, blk, sb, where); ok {
				dynamic[name] = true
			}
			continue
		}
		bt, ok := sb.BlockTypes[blk.Type]
		if !ok {
			if _, isAttr := sb.Attributes[blk.Type]; isAttr {
				p.add(blk.TypeRange, where, "%q is an argument, not a block: write %s = ...", blk.Type, blk.Type)
			} else {
				p.add(blk.TypeRange, where, "unknown block %q", blk.Type)
			}
			continue
		}
		if len(blk.Labels) > 0 && bt.NestingMode != "map" {
			p.add(blk.TypeRange, where, "block %q takes no labels", blk.Type)
		}
		static[blk.Type]++
		checkBody(p, blk.Body, bt.Block, where+"."+blk.Type, nestedMeta)
	}
	for _, name := range sortedKeys(sb.BlockTypes) {
		bt, n := sb.BlockTypes[name], static[name]
		if limit := bt.maxItems(); limit > 0 && n > limit {
			p.add(body.SrcRange, where, "block %q appears %d times, at most %d allowed", name, n, limit)
		}
		// A dynamic block may produce the missing items, so only literal shortfalls are certain.
		if n < bt.MinItems && !dynamic[name] {
			p.add(body.SrcRange, where, "missing required block %q (at least %d)", name, bt.MinItems)
		}
	}
}

// checkDynamic validates a `dynamic "x"` block and checks its content as block x.
func checkDynamic(p *problems, blk *hclsyntax.Block, sb schemaBlock, where string) (string, bool) {
	if len(blk.Labels) != 1 {
		p.add(blk.TypeRange, where, "dynamic block needs exactly one label")
		return "", false
	}
	name := blk.Labels[0]
	dwhere := where + ".dynamic." + name
	bt, ok := sb.BlockTypes[name]
	if !ok {
		p.add(blk.LabelRanges[0], where, "unknown dynamic block %q", name)
		return "", false
	}
	for _, a := range sortedKeys(blk.Body.Attributes) {
		if !slices.Contains([]string{"for_each", "iterator", "labels"}, a) {
			p.add(blk.Body.Attributes[a].NameRange, dwhere, "unknown argument %q", a)
		}
	}
	if blk.Body.Attributes["for_each"] == nil {
		p.add(blk.Body.SrcRange, dwhere, "missing required argument \"for_each\"")
	}
	var contents []*hclsyntax.Block
	for _, inner := range blk.Body.Blocks {
		if inner.Type == "content" {
			contents = append(contents, inner)
		} else {
			p.add(inner.TypeRange, dwhere, "unknown block %q (only content allowed)", inner.Type)
		}
	}
	if len(contents) != 1 {
		p.add(blk.Body.SrcRange, dwhere, "want exactly one content block, got %d", len(contents))
		return name, true
	}
	checkBody(p, contents[0].Body, bt.Block, where+"."+name, nestedMeta)
	return name, true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
