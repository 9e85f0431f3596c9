# The server on OCI Container Instances: instance_count instances of the `--target server` image,
# spread round-robin over the availability domains and, within each, over its three fault domains,
# so that one domain's outage leaves the others serving.
data "oci_identity_availability_domains" "all" {
  compartment_id = var.tenancy_ocid
}

locals {
  availability_domains = length(var.availability_domains) > 0 ? var.availability_domains : [
    for ad in data.oci_identity_availability_domains.all.availability_domains : ad.name
  ]
  ad_count = length(local.availability_domains)

  # Map iteration is ordered by key, so the rendered string (and the plan) is stable.
  models_env = join(",", [for name, id in var.models : "${name}=${id}"])

  server_env = merge(
    {
      PORT                 = tostring(var.container_port)
      OCIAI_AUTH           = "resource_principal"
      OCIAI_REGION         = local.genai_region
      OCIAI_COMPARTMENT_ID = local.genai_compartment_id
      OCIAI_MODELS         = local.models_env
    },
    local.use_secret ? { OCIAI_API_KEY_SECRET_OCID = local.api_key_secret_id } : { OCIAI_API_KEY = var.api_key },
    var.extra_env,
  )
}

resource "oci_container_instances_container_instance" "server" {
  count = var.instance_count

  compartment_id           = var.compartment_id
  display_name             = "${var.name_prefix}-${count.index + 1}"
  availability_domain      = local.availability_domains[count.index % local.ad_count]
  fault_domain             = "FAULT-DOMAIN-${floor(count.index / local.ad_count) % 3 + 1}"
  shape                    = var.instance_shape
  state                    = "ACTIVE"
  container_restart_policy = "ALWAYS"
  # SIGTERM first, then this long for in-flight streams (UNCONFIRMED: the service's upper bound).
  graceful_shutdown_timeout_in_seconds = tostring(var.shutdown_grace_seconds)

  shape_config {
    ocpus         = var.instance_ocpus
    memory_in_gbs = var.instance_memory_gb
  }

  vnics {
    display_name          = "${var.name_prefix}-${count.index + 1}"
    subnet_id             = local.instance_subnet_id
    nsg_ids               = [oci_core_network_security_group.instances.id]
    is_public_ip_assigned = false
  }

  containers {
    display_name          = "server"
    image_url             = var.server_image
    arguments             = ["-shutdown-timeout", "${var.shutdown_grace_seconds - 5}s"]
    environment_variables = local.server_env
    # The server signs its OCI calls with the instance's resource principal (version 2.2).
    is_resource_principal_disabled = false

    # The image's user (distroless nonroot), stated again so the service enforces it; it writes nothing.
    security_context {
      security_context_type          = "LINUX"
      run_as_user                    = 65532
      run_as_group                   = 65532
      is_non_root_user_check_enabled = true
      is_root_file_system_readonly   = true
    }

    health_checks {
      name                     = "health"
      health_check_type        = "HTTP"
      port                     = var.container_port
      path                     = "/health"
      interval_in_seconds      = 10
      timeout_in_seconds       = 3
      failure_threshold        = 3
      initial_delay_in_seconds = 5
      failure_action           = "KILL"
    }
  }

  lifecycle {
    # A new image or setting replaces instances: bring the new one up (and into the backend set)
    # before the old one is drained and deleted.
    create_before_destroy = true

    precondition {
      condition     = local.use_secret || var.api_key != ""
      error_message = "Set api_key_secret_id (or create_api_key_secret), or api_key: the server needs client keys."
    }

    precondition {
      condition     = var.api_key == "" || var.api_key_secret_id == null
      error_message = "Give api_key or api_key_secret_id, not both: with the secret, keep every key in Vault."
    }
  }

  # The image pull and the first OCI calls use the resource principal, which needs the policy.
  depends_on = [oci_identity_policy.instances]
}
