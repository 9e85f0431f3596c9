# Optional compartments and regions fall back to the instances' own, so a single-compartment
# deployment only needs compartment_id.
locals {
  network_compartment_id = coalesce(var.network_compartment_id, var.compartment_id)
  genai_compartment_id   = coalesce(var.genai_compartment_id, var.compartment_id)
  vault_compartment_id   = coalesce(var.vault_compartment_id, var.compartment_id)
  image_compartment_id   = coalesce(var.image_compartment_id, var.compartment_id)
  policy_compartment_id  = coalesce(var.iam_policy_compartment_id, var.tenancy_ocid)
  genai_region           = coalesce(var.genai_region, var.region)
}
