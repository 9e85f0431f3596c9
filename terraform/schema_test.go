// Package terraform_test validates every root module here (the Functions stack in this directory, the
// Container Instances stack in containers/) offline: `terraform validate` needs the provider, which a test
// cannot download, so structural checks against the provider schema in testdata stand in for it (see
// schema_check_test.go, refs_check_test.go).
package terraform_test

import (
	"cmp"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

const (
	schemaFile  = "testdata/terraform-oci-provider-8.28.0-schema.json"
	tfvarsFile  = "terraform.tfvars.example"
	readmeFile  = "README.md"
	minResource = 10 // guards against the checker silently seeing nothing
)

// rootModule is one deployment users apply on its own, and the outputs its README promises.
type rootModule struct {
	dir     string
	outputs []string
}

var rootModules = []rootModule{
	{".", []string{"base_url", "health_url", "function_id", "application_id", "gateway_hostname"}},
	{"containers", []string{"base_url", "health_url", "load_balancer_url", "load_balancer_ip", "load_balancer_id",
		"container_instance_ids", "container_ids", "api_key_secret_id"}},
}

func loadSchema(t *testing.T) *providerSchema {
	t.Helper()
	s, err := loadProviderSchema(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func reportAll(t *testing.T, p problems) {
	t.Helper()
	for _, msg := range p {
		t.Error(msg)
	}
}

// TestEveryRootModuleIsChecked: a directory of .tf files that is not in rootModules would escape every check.
func TestEveryRootModuleIsChecked(t *testing.T) {
	listed := map[string]bool{}
	for _, r := range rootModules {
		listed[r.dir] = true
	}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && (d.Name() == ".terraform" || d.Name() == "testdata") {
			return cmp.Or(err, filepath.SkipDir)
		}
		if dir := filepath.Dir(path); strings.HasSuffix(path, ".tf") && !listed[dir] {
			t.Errorf("%s holds Terraform but is not in rootModules", dir)
			listed[dir] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestConfig(t *testing.T) {
	s := loadSchema(t)
	for _, root := range rootModules {
		t.Run(root.dir, func(t *testing.T) { checkRootModule(t, s, root) })
	}
}

func checkRootModule(t *testing.T, s *providerSchema, root rootModule) {
	m, err := loadModule(root.dir)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("provider schema", func(t *testing.T) {
		n := 0
		for _, b := range m.blocks() {
			if b.Type == "resource" || b.Type == "data" {
				n++
			}
		}
		if n < minResource {
			t.Fatalf("found %d resource/data blocks, want at least %d", n, minResource)
		}
		reportAll(t, checkSchema(m, s))
	})

	t.Run("references", func(t *testing.T) {
		reportAll(t, checkReferences(m, s))
	})

	t.Run("variables documented", func(t *testing.T) {
		reportAll(t, checkVariableDocs(m))
	})

	t.Run("tfvars example", func(t *testing.T) {
		name := filepath.Join(root.dir, tfvarsFile)
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		reportAll(t, checkTfvarsExample(m, name, src))
	})

	t.Run("contract", func(t *testing.T) {
		d, _ := declare(m)
		// The API key must never be printed by plan/apply.
		if v := d.variables["api_key"]; v == nil || !isLiteralTrue(v.Body.Attributes["sensitive"]) {
			t.Error(`variable "api_key" must exist with sensitive = true`)
		}
		// Documented interface for users and the README.
		outputs := map[string]bool{}
		for _, b := range m.blocks() {
			if b.Type == "output" && len(b.Labels) == 1 {
				outputs[b.Labels[0]] = true
			}
		}
		for _, want := range root.outputs {
			if !outputs[want] {
				t.Errorf("missing output %q", want)
			}
		}
		// The README's variables table is hand-written; keep it complete.
		readme, err := os.ReadFile(filepath.Join(root.dir, readmeFile))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range sortedKeys(d.variables) {
			if !strings.Contains(string(readme), "`"+name+"`") {
				t.Errorf("%s does not mention variable `%s`", filepath.Join(root.dir, readmeFile), name)
			}
		}
	})
}

// TestTerraformFmt runs `terraform fmt -check` over every root module.
func TestTerraformFmt(t *testing.T) {
	bin, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform not on PATH")
	}
	cmd := exec.Command(bin, "fmt", "-check", "-recursive", "-diff", "-no-color", ".")
	// No version check over the network, and no user CLI config (it only warns when absent).
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("terraform fmt -check -recursive: %v\n%s", err, out)
	}
}

// TestServiceLogsReadTheirResourcesCompartment: the Functions stack's service logs name, as their source's
// compartment, the compartment of the resource they read; the gateway's logs, the gateway compartment.
func TestServiceLogsReadTheirResourcesCompartment(t *testing.T) {
	m, err := loadModule(".")
	if err != nil {
		t.Fatal(err)
	}
	logs := serviceLogs(t, m)
	if len(logs) != 3 {
		t.Fatalf("service_logs has %d entries: %v", len(logs), logs)
	}
	for name, l := range logs {
		want := "var.compartment_id"
		if strings.HasPrefix(l["resource"], "oci_apigateway_deployment.") {
			want = "local.gateway_compartment_id"
		}
		if l["compartment"] != want {
			t.Errorf("service log %s reads %s in %s, want %s", name, l["resource"], l["compartment"], want)
		}
	}
}

// serviceLogs reads local.service_logs (a conditional over an object of objects) as log name → attribute →
// the reference it holds, e.g. "compartment" → "local.gateway_compartment_id".
func serviceLogs(t *testing.T, m *module) map[string]map[string]string {
	t.Helper()
	for _, b := range m.blocks() {
		a := b.Body.Attributes["service_logs"]
		if b.Type != "locals" || a == nil {
			continue
		}
		cond, ok := a.Expr.(*hclsyntax.ConditionalExpr)
		if !ok {
			t.Fatalf("local.service_logs is a %T", a.Expr)
		}
		out := map[string]map[string]string{}
		for _, item := range cond.TrueResult.(*hclsyntax.ObjectConsExpr).Items {
			name := hcl.ExprAsKeyword(item.KeyExpr)
			fields := map[string]string{}
			for _, f := range item.ValueExpr.(*hclsyntax.ObjectConsExpr).Items {
				if tr, ok := f.ValueExpr.(*hclsyntax.ScopeTraversalExpr); ok {
					fields[hcl.ExprAsKeyword(f.KeyExpr)] = traversalString(tr.Traversal)
				}
			}
			out[name] = fields
		}
		return out
	}
	t.Fatal("no local.service_logs")
	return nil
}

// traversalString renders a.b.c (attribute steps only).
func traversalString(tr hcl.Traversal) string {
	parts := []string{tr.RootName()}
	for _, step := range tr[1:] {
		if a, ok := step.(hcl.TraverseAttr); ok {
			parts = append(parts, a.Name)
		}
	}
	return strings.Join(parts, ".")
}

func isLiteralTrue(a *hclsyntax.Attribute) bool {
	if a == nil {
		return false
	}
	v, diags := a.Expr.Value(nil)
	return !diags.HasErrors() && v.IsKnown() && !v.IsNull() && v.True()
}

// TestCheckerCatchesMistakes proves each rule fires, so a clean TestConfig means something.
func TestCheckerCatchesMistakes(t *testing.T) {
	s := loadSchema(t)

	tests := []struct {
		name string
		src  string
		want []string // substrings, each must appear in some problem
	}{
		{
			name: "valid snippet has no problems",
			src: `
variable "image" {
  description = "image"
  type        = string
}
resource "oci_functions_application" "app" {
  compartment_id = "ocid1.compartment.oc1..x"
  display_name   = "app"
  subnet_ids     = ["ocid1.subnet.oc1..x"]
}
resource "oci_functions_function" "fn" {
  count          = 1
  application_id = oci_functions_application.app.id
  display_name   = "fn"
  memory_in_mbs  = 512
  image          = var.image
  dynamic "provisioned_concurrency_config" {
    for_each = [10]
    content {
      strategy = "CONSTANT"
      count    = provisioned_concurrency_config.value
    }
  }
  lifecycle {
    create_before_destroy = true
  }
}
output "fn" {
  value = oci_functions_function.fn[0].id
}`,
		},
		{
			name: "misspelled argument, unknown block, missing required argument",
			src: `
resource "oci_functions_function" "fn" {
  display_name = "fn"
  memory_in_mb = 512
  scaling {}
}`,
			want: []string{
				`unknown argument "memory_in_mb"`,
				`unknown block "scaling"`,
				`missing required argument "application_id"`,
				`missing required argument "memory_in_mbs"`,
			},
		},
		{
			name: "computed-only argument",
			src: `
resource "oci_functions_function" "fn" {
  application_id = "a"
  display_name   = "fn"
  memory_in_mbs  = 512
  compartment_id = "c"
}`,
			want: []string{`argument "compartment_id" is computed-only`},
		},
		{
			name: "unknown resource and data source types",
			src: `
resource "oci_functions_fnction" "fn" {}
data "oci_core_service" "all" {}`,
			want: []string{`unknown resource type "oci_functions_fnction"`, `unknown data source type "oci_core_service"`},
		},
		{
			name: "nested blocks: max_items, min_items, deep unknown argument, required nested argument",
			src: `
resource "oci_apigateway_deployment" "d" {
  compartment_id = "c"
  gateway_id     = "g"
  path_prefix    = "/p"
  specification {
    request_policies {
      cors {
        allowed_methods = ["GET"]
      }
    }
  }
  specification {
    routes {
      path = "/x"
      backend {
        type          = "ORACLE_FUNCTIONS_BACKEND"
        function_ocid = "f"
      }
    }
  }
}`,
			want: []string{
				`block "specification" appears 2 times, at most 1 allowed`,
				`missing required block "routes" (at least 1)`,
				`specification.routes.backend: unknown argument "function_ocid"`,
				`specification.request_policies.cors: missing required argument "allowed_origins"`,
			},
		},
		{
			name: "dynamic blocks: unknown label, content checked as the named block, for_each required",
			src: `
resource "oci_apigateway_deployment" "d" {
  compartment_id = "c"
  gateway_id     = "g"
  path_prefix    = "/p"
  specification {
    request_policies {
      dynamic "rate_limit" {
        for_each = [1]
        content {}
      }
      dynamic "rate_limiting" {
        content {
          rate = 1
        }
      }
    }
    routes {
      path = "/x"
      backend {
        type = "STOCK_RESPONSE_BACKEND"
      }
    }
  }
}`,
			want: []string{
				`unknown dynamic block "rate_limit"`,
				`dynamic.rate_limiting: missing required argument "for_each"`,
				`request_policies.rate_limiting: unknown argument "rate"`,
				`request_policies.rate_limiting: missing required argument "rate_key"`,
			},
		},
		{
			name: "argument written as block and block written as argument",
			src: `
resource "oci_functions_function" "fn" {
  application_id = "a"
  display_name   = "fn"
  memory_in_mbs  = 512
  config {}
  trace_config = {}
}`,
			want: []string{`"config" is an argument, not a block`, `"trace_config" is a block, not an argument`},
		},
		{
			name: "meta-arguments: count with for_each; provider block",
			src: `
provider "oci" {
  region  = "us-chicago-1"
  regoin  = "typo"
}
resource "oci_core_vcn" "v" {
  count          = 1
  for_each       = {}
  compartment_id = "c"
}`,
			want: []string{`count and for_each are mutually exclusive`, `provider.oci: unknown argument "regoin"`},
		},
		{
			name: "references and variable docs",
			src: `
variable "undocumented" {}
locals {
  a = var.missing
  b = local.nope
}
resource "oci_core_vcn" "counted" {
  count          = 1
  compartment_id = "c"
}
resource "oci_core_vcn" "single" {
  compartment_id = "c"
}
resource "oci_core_subnet" "s" {
  compartment_id = oci_core_vcn.counted.compartment_id
  vcn_id         = oci_core_vcn.single[0].id
  route_table_id = oci_core_route_table.none.id
  dhcp_options_id = data.oci_core_services.none.id
}`,
			want: []string{
				`var.missing: reference to undeclared variable`,
				`local.nope: reference to undeclared local value`,
				`oci_core_vcn.counted: has count/for_each`,
				`oci_core_vcn.single: has no count/for_each`,
				`oci_core_route_table.none: reference to undeclared resource`,
				`data.oci_core_services.none: reference to undeclared resource`,
				`variable.undocumented: missing description`,
				`variable.undocumented: missing type`,
				`variable.undocumented: declared but never used`,
			},
		},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := parseModule(map[string][]byte{"snippet.tf": []byte(tc.src)})
			if err != nil {
				t.Fatal(err)
			}
			var got problems
			got = append(got, checkSchema(m, s)...)
			got = append(got, checkReferences(m, s)...)
			got = append(got, checkVariableDocs(m)...)
			if len(tc.want) == 0 && len(got) > 0 {
				t.Errorf("want no problems, got:\n%s", strings.Join(got, "\n"))
			}
			for _, w := range tc.want {
				if !containsSubstring(got, w) {
					t.Errorf("missing problem %q; got:\n%s", w, strings.Join(got, "\n"))
				}
			}
		})
	}
}

func TestTfvarsExampleCheckCatchesDrift(t *testing.T) {
	m, err := parseModule(map[string][]byte{"variables.tf": []byte(`
variable "region" {
  description = "r"
  type        = string
}
variable "optional" {
  description = "o"
  type        = string
  default     = "x"
}`)})
	if err != nil {
		t.Fatal(err)
	}
	src := []byte("regoin = \"us-chicago-1\"\n# optinal = \"y\"\n")
	got := checkTfvarsExample(m, "example", src)
	for _, w := range []string{`sets undeclared variable "regoin"`, `comment shows undeclared variable "optinal"`, `required variable "region" is not set`} {
		if !containsSubstring(got, w) {
			t.Errorf("missing problem %q; got:\n%s", w, strings.Join(got, "\n"))
		}
	}
}

func containsSubstring(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
