# The proxy runs as one OCI Function. Its settings travel as function config, which the
# platform exposes to the container as environment variables.
locals {
  # Map iteration is ordered by key, so the rendered string (and the plan) is stable.
  models_env = join(",", [for name, id in var.models : "${name}=${id}"])

  function_config = merge(
    {
      OCIAI_AUTH           = "resource_principal"
      OCIAI_REGION         = local.genai_region
      OCIAI_COMPARTMENT_ID = local.genai_compartment_id
      OCIAI_MODELS         = local.models_env
    },
    local.use_secret ? { OCIAI_API_KEY_SECRET_OCID = local.api_key_secret_id } : {},
    var.api_key != "" && !local.use_secret ? { OCIAI_API_KEY = var.api_key } : {},
    var.auth_via_gateway ? { OCIAI_AUTH_VIA_GATEWAY = "true" } : {},
    var.extra_config,
  )

  # Provisioned concurrency comes in steps that depend on memory (Functions docs).
  pcu_step = lookup({ 128 = 40, 256 = 20 }, tostring(var.function_memory_mb), 10)
}

resource "oci_functions_application" "this" {
  compartment_id = var.compartment_id
  display_name   = "${var.name_prefix}-app"
  subnet_ids     = [local.private_subnet_id]
  shape          = var.application_shape
}

resource "oci_functions_function" "proxy" {
  application_id     = oci_functions_application.this.id
  display_name       = var.name_prefix
  image              = var.function_image
  memory_in_mbs      = var.function_memory_mb
  timeout_in_seconds = var.function_timeout_seconds
  config             = local.function_config

  # Always present: the attribute is optional+computed, so removing the block would leave a
  # previous CONSTANT setting in place instead of switching it off.
  provisioned_concurrency_config {
    strategy = var.provisioned_concurrency > 0 ? "CONSTANT" : "NONE"
    count    = var.provisioned_concurrency > 0 ? var.provisioned_concurrency : null
  }

  lifecycle {
    precondition {
      condition     = var.auth_via_gateway || var.api_key != "" || local.use_secret
      error_message = "api_key (or api_key_secret_id / create_api_key_secret) is required when auth_via_gateway is false: the proxy itself checks the Bearer key."
    }

    precondition {
      condition     = var.api_key == "" || var.api_key_secret_id == null
      error_message = "Give api_key or api_key_secret_id, not both: with the secret, keep every key in Vault."
    }

    precondition {
      condition     = var.provisioned_concurrency % local.pcu_step == 0
      error_message = "provisioned_concurrency must be a multiple of ${local.pcu_step} at ${var.function_memory_mb} MB."
    }

    # UNCONFIRMED: exactly how the service measures the 4 KB config limit; keys + values is a close bound.
    precondition {
      condition     = sum([for k, v in local.function_config : length(k) + length(v)]) <= 4096
      error_message = "Function config exceeds 4 KB; shorten models or extra_config."
    }
  }
}
