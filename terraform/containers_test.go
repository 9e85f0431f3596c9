package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestContainersContract pins what the Container Instances stack promises streaming clients, in the places the
// promises are made, so that an edit cannot quietly drop one.
func TestContainersContract(t *testing.T) {
	const dir = "containers"
	m, err := loadModule(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := declare(m)
	// src is the source text of attribute name of block (a resource "type.name" or variable "variable.name"),
	// or of a nested block's attribute (path "a.b.attr").
	src := func(addr, path string) string {
		t.Helper()
		var body *hclsyntax.Body
		if name, ok := strings.CutPrefix(addr, "variable."); ok && d.variables[name] != nil {
			body = d.variables[name].Body
		} else if b := d.resources[addr]; b != nil {
			body = b.Body
		} else {
			t.Fatalf("%s is not declared", addr)
		}
		steps := strings.Split(path, ".")
		for _, step := range steps[:len(steps)-1] {
			i := -1
			for j, b := range body.Blocks {
				if b.Type == step {
					i = j
					break
				}
			}
			if i < 0 {
				t.Fatalf("%s has no block %s", addr, step)
			}
			body = body.Blocks[i].Body
		}
		a := body.Attributes[steps[len(steps)-1]]
		if a == nil {
			t.Fatalf("%s has no attribute %s", addr, path)
		}
		file, err := os.ReadFile(filepath.Join(dir, a.SrcRange.Filename))
		if err != nil {
			t.Fatal(err)
		}
		return string(a.Expr.Range().SliceBytes(file))
	}

	for _, c := range []struct{ addr, path, want string }{
		{"variable.instance_count", "default", "2"},
		{"variable.idle_timeout_seconds", "default", "600"},
		{"variable.enable_http", "default", "false"},
		{"variable.enable_api_gateway", "default", "false"},
		{"oci_container_instances_container_instance.server", "count", "var.instance_count"},
		{"oci_container_instances_container_instance.server", "fault_domain", `"FAULT-DOMAIN-${floor(count.index / local.ad_count) % 3 + 1}"`},
		{"oci_container_instances_container_instance.server", "containers.is_resource_principal_disabled", "false"},
		{"oci_container_instances_container_instance.server", "containers.health_checks.path", `"/health"`},
		{"oci_load_balancer_load_balancer.this", "shape", `"flexible"`},
		{"oci_load_balancer_backend_set.servers", "policy", `"LEAST_CONNECTIONS"`},
		{"oci_load_balancer_backend_set.servers", "health_checker.url_path", `"/health"`},
		{"oci_load_balancer_listener.https", "port", "443"},
		{"oci_load_balancer_listener.https", "ssl_configuration.certificate_ids", "[var.certificate_id]"},
		{"oci_load_balancer_listener.https", "connection_configuration.idle_timeout_in_seconds", "tostring(var.idle_timeout_seconds)"},
		{"oci_load_balancer_listener.http", "count", "var.enable_http ? 1 : 0"},
		{"oci_core_subnet.instances", "prohibit_public_ip_on_vnic", "true"},
		{"oci_core_network_security_group_security_rule.instances_from_lb", "source", "oci_core_network_security_group.lb.id"},
	} {
		if got := src(c.addr, c.path); got != c.want {
			t.Errorf("%s %s = %s, want %s", c.addr, c.path, got, c.want)
		}
	}
	// The idle timeout may never be set below 300 s, and there are always at least two instances.
	for addr, want := range map[string]string{
		"variable.idle_timeout_seconds": "var.idle_timeout_seconds >= 300",
		"variable.instance_count":       "var.instance_count >= 2",
	} {
		if got := src(addr, "validation.condition"); !strings.Contains(got, want) {
			t.Errorf("%s validation %q lacks %q", addr, got, want)
		}
	}
	for _, want := range []string{
		"resource.type = 'computecontainerinstance'",
	} {
		if got := src("oci_identity_dynamic_group.instances", "matching_rule"); !strings.Contains(got, want) {
			t.Errorf("matching rule %s lacks %q", got, want)
		}
	}
	policy := src("oci_identity_policy.instances", "statements")
	for _, want := range []string{"to use generative-ai-family in", "to read repos in",
		"to read secret-bundles in compartment id ${local.vault_compartment_id} where target.secret.id = '${local.api_key_secret_id}'"} {
		if !strings.Contains(policy, want) {
			t.Errorf("policy lacks %q:\n%s", want, policy)
		}
	}
}
