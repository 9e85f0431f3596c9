# IAM: the container instances' resource principal may call Generative AI, pull the server image
# from OCIR and read the one Vault secret with the client keys.
#
# Dynamic groups exist only at the tenancy level. The policy is attached to
# iam_policy_compartment_id (default: tenancy), which must be an ancestor of, or equal to, every
# compartment the statements name.
resource "oci_identity_dynamic_group" "instances" {
  count = var.create_iam ? 1 : 0

  compartment_id = var.tenancy_ocid
  name           = "${var.name_prefix}-instances"
  description    = "Container instances of ${var.name_prefix} (resource principal for Generative AI, OCIR and Vault)"
  matching_rule  = "ALL {resource.type = 'computecontainerinstance', resource.compartment.id = '${var.compartment_id}'}"
}

# The dynamic group is named by OCID, which works in tenancies with identity domains too.
resource "oci_identity_policy" "instances" {
  count = var.create_iam ? 1 : 0

  compartment_id = local.policy_compartment_id
  name           = "${var.name_prefix}-instances"
  description    = "Lets the ${var.name_prefix} container instances call Generative AI, pull their image and read their API key secret"
  statements = concat(
    [
      "Allow dynamic-group id ${oci_identity_dynamic_group.instances[0].id} to use generative-ai-family in compartment id ${local.genai_compartment_id}",
      "Allow dynamic-group id ${oci_identity_dynamic_group.instances[0].id} to read repos in compartment id ${local.image_compartment_id}",
    ],
    local.use_secret ? [
      "Allow dynamic-group id ${oci_identity_dynamic_group.instances[0].id} to read secret-bundles in compartment id ${local.vault_compartment_id} where target.secret.id = '${local.api_key_secret_id}'",
    ] : [],
  )
}
