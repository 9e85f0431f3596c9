# The client keys: a Vault secret the instances read with their resource principal (taken with
# api_key_secret_id, or created from api_key), or plain api_key in the environment.
resource "oci_vault_secret" "api_keys" {
  count = var.create_api_key_secret ? 1 : 0

  compartment_id = local.vault_compartment_id
  vault_id       = var.vault_id
  key_id         = var.vault_key_id
  secret_name    = "${var.name_prefix}-api-keys"
  description    = "Client API keys of ${var.name_prefix}: name=key entries, comma or newline separated"

  secret_content {
    content_type = "BASE64"
    content      = base64encode("default=${var.api_key}")
  }

  lifecycle {
    # Keys are rotated in Vault (new secret versions); Terraform must not put the first one back.
    ignore_changes = [secret_content]

    precondition {
      condition     = var.vault_id != null && var.vault_key_id != null && var.api_key != "" && var.api_key_secret_id == null
      error_message = "create_api_key_secret needs vault_id, vault_key_id and api_key (the first key), and no api_key_secret_id."
    }
  }
}

locals {
  use_secret        = var.create_api_key_secret || var.api_key_secret_id != null # known at plan time
  api_key_secret_id = var.create_api_key_secret ? oci_vault_secret.api_keys[0].id : var.api_key_secret_id
}
