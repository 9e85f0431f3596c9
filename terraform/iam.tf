# IAM: the function's resource principal may call Generative AI (and read the Vault secret with the
# client keys, when there is one), and API gateways in the gateway compartment may invoke functions
# (the proxy and, if used, the authorizer).
#
# Dynamic groups exist only at the tenancy level. Policies are attached to
# iam_policy_compartment_id (default: tenancy), which must be an ancestor of, or equal to,
# every compartment the statements name.
locals {
  invoke_compartment_ids = distinct(compact([
    var.compartment_id,
    var.auth_via_gateway ? local.authorizer_compartment_id : "",
  ]))
}

resource "oci_identity_dynamic_group" "functions" {
  count = var.create_iam ? 1 : 0

  compartment_id = var.tenancy_ocid
  name           = "${var.name_prefix}-functions"
  description    = "Functions of ${var.name_prefix} (resource principal for OCI Generative AI)"
  matching_rule  = "ALL {resource.type = 'fnfunc', resource.compartment.id = '${var.compartment_id}'}"
}

# Referencing the dynamic group by OCID, not name, keeps the statement valid in tenancies
# with identity domains, where a name outside the Default domain needs a '<domain>'/ prefix.
resource "oci_identity_policy" "genai" {
  count = var.create_iam ? 1 : 0

  compartment_id = local.policy_compartment_id
  name           = "${var.name_prefix}-genai"
  description    = "Lets the ${var.name_prefix} function call OCI Generative AI and read its API key secret"
  statements = concat(
    ["Allow dynamic-group id ${oci_identity_dynamic_group.functions[0].id} to use generative-ai-family in compartment id ${local.genai_compartment_id}"],
    # Only the one secret with the client keys, when there is one.
    local.use_secret ? ["Allow dynamic-group id ${oci_identity_dynamic_group.functions[0].id} to read secret-bundles in compartment id ${local.vault_compartment_id} where target.secret.id = '${local.api_key_secret_id}'"] : [],
  )
}

resource "oci_identity_policy" "gateway_invoke" {
  count = var.create_iam ? 1 : 0

  compartment_id = local.policy_compartment_id
  name           = "${var.name_prefix}-apigw-invoke"
  description    = "Lets API gateways in the ${var.name_prefix} gateway compartment invoke its functions"
  statements = [
    for c in local.invoke_compartment_ids :
    "Allow any-user to use functions-family in compartment id ${c} where ALL {request.principal.type = 'ApiGateway', request.resource.compartment.id = '${local.gateway_compartment_id}'}"
  ]
}
