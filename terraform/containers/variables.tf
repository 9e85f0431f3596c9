# Conditions guard optional values with can(...) because Terraform's || does not
# short-circuit: regex(..., null) would be an error rather than false.

# --- Provider and placement -------------------------------------------------

variable "tenancy_ocid" {
  description = "OCID of the tenancy (root compartment). The dynamic group is always created here and, by default, the IAM policy too."
  type        = string

  validation {
    condition     = can(regex("^ocid1\\.tenancy\\.", var.tenancy_ocid))
    error_message = "tenancy_ocid must be a tenancy OCID (ocid1.tenancy.…)."
  }
}

variable "region" {
  description = "OCI region identifier for every resource in this stack, e.g. us-chicago-1. The server image must be in OCIR in this region (or reachable from the instances)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be a region identifier such as us-chicago-1 or eu-frankfurt-1."
  }
}

variable "config_file_profile" {
  description = "Profile in ~/.oci/config used by the OCI provider."
  type        = string
  default     = "DEFAULT"
}

variable "compartment_id" {
  description = "OCID of the compartment for the container instances and load balancer, and the default for every other compartment variable."
  type        = string

  validation {
    condition     = can(regex("^ocid1\\.(compartment|tenancy)\\.", var.compartment_id))
    error_message = "compartment_id must be a compartment OCID (ocid1.compartment.… or the tenancy OCID)."
  }
}

variable "network_compartment_id" {
  description = "OCID of the compartment for the VCN, gateways, subnets and network security groups this stack creates. Defaults to compartment_id."
  type        = string
  default     = null

  validation {
    condition     = var.network_compartment_id == null || can(regex("^ocid1\\.(compartment|tenancy)\\.", var.network_compartment_id))
    error_message = "network_compartment_id must be a compartment OCID."
  }
}

variable "name_prefix" {
  description = "Prefix for display names, and the names of the dynamic group and policy (which must be unique in the tenancy)."
  type        = string
  default     = "ociai-proxy-ci"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,31}$", var.name_prefix))
    error_message = "name_prefix must be 1-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

# --- Network ------------------------------------------------------------------

variable "vcn_id" {
  description = "OCID of an existing VCN, given together with lb_subnet_id and instance_subnet_id; the network security groups are created in it. Null: this stack creates the whole network."
  type        = string
  default     = null

  validation {
    condition     = var.vcn_id == null || can(regex("^ocid1\\.vcn\\.", var.vcn_id))
    error_message = "vcn_id must be a VCN OCID (ocid1.vcn.…)."
  }
}

variable "lb_subnet_id" {
  description = "OCID of an existing regional public subnet of vcn_id for the load balancer (and the optional API gateway). Null: created."
  type        = string
  default     = null

  validation {
    condition     = var.lb_subnet_id == null || can(regex("^ocid1\\.subnet\\.", var.lb_subnet_id))
    error_message = "lb_subnet_id must be a subnet OCID (ocid1.subnet.…)."
  }
}

variable "instance_subnet_id" {
  description = "OCID of an existing private subnet of vcn_id for the container instances, with a route to Oracle services (service gateway) and, for other registries, NAT. Null: created."
  type        = string
  default     = null

  validation {
    condition     = var.instance_subnet_id == null || can(regex("^ocid1\\.subnet\\.", var.instance_subnet_id))
    error_message = "instance_subnet_id must be a subnet OCID (ocid1.subnet.…)."
  }
}

variable "vcn_cidr" {
  description = "IPv4 CIDR of the VCN created when no vcn_id is given."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vcn_cidr))
    error_message = "vcn_cidr must be an IPv4 CIDR block."
  }
}

variable "lb_subnet_cidr" {
  description = "IPv4 CIDR of the created public (load balancer) subnet; must lie inside vcn_cidr."
  type        = string
  default     = "10.0.1.0/24"

  validation {
    condition     = can(cidrnetmask(var.lb_subnet_cidr))
    error_message = "lb_subnet_cidr must be an IPv4 CIDR block."
  }
}

variable "instance_subnet_cidr" {
  description = "IPv4 CIDR of the created private (container instance) subnet; must lie inside vcn_cidr."
  type        = string
  default     = "10.0.2.0/24"

  validation {
    condition     = can(cidrnetmask(var.instance_subnet_cidr))
    error_message = "instance_subnet_cidr must be an IPv4 CIDR block."
  }
}

variable "ingress_cidr" {
  description = "Source CIDR allowed to reach the load balancer (and the optional API gateway) on 443, and on 80 when enable_http is true."
  type        = string
  default     = "0.0.0.0/0"

  validation {
    condition     = can(cidrnetmask(var.ingress_cidr))
    error_message = "ingress_cidr must be an IPv4 CIDR block."
  }
}

# --- Container instances --------------------------------------------------------

variable "server_image" {
  description = "Full image reference of the server, built with `docker build --target server` from the repo's Dockerfile, e.g. ord.ocir.io/<namespace>/ociai-proxy-server:0.1.0 (tag or @sha256 digest). Its architecture must match instance_shape."
  type        = string

  validation {
    condition     = can(regex("^\\S+/\\S+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.server_image))
    error_message = "server_image must be a registry/repository reference with a :tag or @sha256 digest."
  }
}

variable "instance_count" {
  description = "Number of container instances behind the load balancer (at least 2), spread over the region's availability domains and, within each, over its fault domains. The gateway is stateless: scale by raising this."
  type        = number
  default     = 2

  validation {
    condition     = var.instance_count >= 2 && var.instance_count <= 50 && floor(var.instance_count) == var.instance_count
    error_message = "instance_count must be a whole number from 2 to 50."
  }
}

variable "availability_domains" {
  description = "Names of the availability domains to spread the instances over. Empty: every availability domain of the region (most regions have one; the instances are then spread over its fault domains)."
  type        = list(string)
  default     = []
}

variable "instance_shape" {
  description = "Container instance shape: CI.Standard.E4.Flex or CI.Standard.E3.Flex (x86_64 image), CI.Standard.A1.Flex (arm64 image)."
  type        = string
  default     = "CI.Standard.E4.Flex"

  validation {
    condition     = can(regex("^CI\\.Standard\\.[A-Z0-9]+\\.Flex$", var.instance_shape))
    error_message = "instance_shape must be a container instance shape such as CI.Standard.E4.Flex or CI.Standard.A1.Flex."
  }
}

variable "instance_ocpus" {
  description = "OCPUs per container instance."
  type        = number
  default     = 1

  validation {
    condition     = var.instance_ocpus >= 1 && var.instance_ocpus <= 64
    error_message = "instance_ocpus must be from 1 to 64."
  }
}

variable "instance_memory_gb" {
  description = "Memory per container instance in GB. The gateway sets its Go memory limit to 80 % of the container's memory."
  type        = number
  default     = 4

  validation {
    condition     = var.instance_memory_gb >= 1 && var.instance_memory_gb <= 1024
    error_message = "instance_memory_gb must be from 1 to 1024."
  }
}

variable "container_port" {
  description = "Port the server listens on inside the instances ($PORT); the load balancer and its health check use it."
  type        = number
  default     = 8080

  validation {
    condition     = var.container_port >= 1024 && var.container_port <= 65535 && floor(var.container_port) == var.container_port
    error_message = "container_port must be a whole number from 1024 to 65535 (the image runs as a non-root user)."
  }
}

variable "shutdown_grace_seconds" {
  description = "How long a stopping instance lets in-flight streams finish after SIGTERM (the instance's graceful shutdown timeout; the server's -shutdown-timeout is 5 s less)."
  type        = number
  default     = 120

  validation {
    condition     = var.shutdown_grace_seconds >= 10 && var.shutdown_grace_seconds <= 300 && floor(var.shutdown_grace_seconds) == var.shutdown_grace_seconds
    error_message = "shutdown_grace_seconds must be a whole number from 10 to 300."
  }
}

# --- Proxy settings (passed to the containers as OCIAI_* environment variables) -----

variable "models" {
  description = "Model aliases the proxy serves, client-facing name => OCI model id or dedicated endpoint OCID, optionally @region and followed by an API format word (e.g. \"cohere.command-a-vision-07-2025 COHEREV2\"); several targets, comma-separated, pool regions (\"xai.grok-4@us-chicago-1, xai.grok-4@us-phoenix-1\"), and \"<name>.strategy\" => \"spread\" sets a model's strategy. Rendered as OCIAI_MODELS=name=id,name2=id2."
  type        = map(string)

  validation {
    condition = length(var.models) > 0 && alltrue([
      for name, spec in var.models :
      can(regex("^[^,=@\\s]+$", name)) && can(regex("(?i)^[^,=@\\s]+(@[a-z0-9-]+)?( +(GENERIC|COHERE|COHEREV2|EMBED))?( *, *[^,=@\\s]+(@[a-z0-9-]+)?( +(GENERIC|COHERE|COHEREV2|EMBED))?)*$", spec))
    ])
    error_message = "models needs at least one entry; names have no commas, @, = or whitespace; values are \"<model id>[@region] [GENERIC|COHERE|COHEREV2|EMBED]\", several separated by commas, without =."
  }
}

variable "api_key" {
  description = "Bearer API key clients send (OCIAI_API_KEY), for simple setups; it then sits in the container configuration and Terraform state. Prefer api_key_secret_id. With create_api_key_secret it is the secret's first content instead."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition = var.api_key == "" || (
      can(regex("^[!-~]{16,}$", var.api_key)) && !can(regex("^<.*>$", var.api_key)) && var.api_key != "auto_generated_key" && !can(regex(",", var.api_key))
    )
    error_message = "api_key must be a real key of at least 16 printable ASCII characters without spaces or commas."
  }
}

variable "api_key_secret_id" {
  description = "OCID of an existing OCI Vault secret holding the client keys (`name=key` entries, or one key). The instances read it with their resource principal at start and every 5 minutes (OCIAI_API_KEY_SECRET_OCID), so rotating it needs no redeploy; no key is in Terraform state."
  type        = string
  default     = null

  validation {
    condition     = var.api_key_secret_id == null || can(regex("^ocid1\\.vaultsecret\\.", var.api_key_secret_id))
    error_message = "api_key_secret_id must be a Vault secret OCID (ocid1.vaultsecret.…)."
  }
}

variable "create_api_key_secret" {
  description = "Create the Vault secret from api_key (as `default=<api_key>`) in vault_id, encrypted with vault_key_id. Later rotations are made in Vault and left alone by Terraform; the first key stays in Terraform state."
  type        = bool
  default     = false
}

variable "vault_id" {
  description = "OCID of the Vault (KMS vault) for the created secret (create_api_key_secret)."
  type        = string
  default     = null

  validation {
    condition     = var.vault_id == null || can(regex("^ocid1\\.vault\\.", var.vault_id))
    error_message = "vault_id must be a vault OCID (ocid1.vault.…)."
  }
}

variable "vault_key_id" {
  description = "OCID of the Vault master encryption key (AES) for the created secret (create_api_key_secret)."
  type        = string
  default     = null

  validation {
    condition     = var.vault_key_id == null || can(regex("^ocid1\\.key\\.", var.vault_key_id))
    error_message = "vault_key_id must be a key OCID (ocid1.key.…)."
  }
}

variable "vault_compartment_id" {
  description = "OCID of the compartment the secret is in (or created in), for the read policy. Defaults to compartment_id."
  type        = string
  default     = null

  validation {
    condition     = var.vault_compartment_id == null || can(regex("^ocid1\\.(compartment|tenancy)\\.", var.vault_compartment_id))
    error_message = "vault_compartment_id must be a compartment OCID."
  }
}

variable "genai_compartment_id" {
  description = "OCID of the compartment whose OCI Generative AI models the proxy uses (OCIAI_COMPARTMENT_ID). Defaults to compartment_id."
  type        = string
  default     = null

  validation {
    condition     = var.genai_compartment_id == null || can(regex("^ocid1\\.(compartment|tenancy)\\.", var.genai_compartment_id))
    error_message = "genai_compartment_id must be a compartment OCID."
  }
}

variable "genai_region" {
  description = "Region of the OCI Generative AI endpoint (OCIAI_REGION). Defaults to region; set it when the models live elsewhere, e.g. us-chicago-1."
  type        = string
  default     = null

  validation {
    condition     = var.genai_region == null || can(regex("^[a-z]+(-[a-z]+)+-[0-9]+$", var.genai_region))
    error_message = "genai_region must be a region identifier such as us-chicago-1."
  }
}

variable "extra_env" {
  description = "Additional environment variables for the server, e.g. other OCIAI_* settings (see config.conf.example). Overrides the generated ones on key collision."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.extra_env) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k))])
    error_message = "extra_env keys must match [A-Za-z_][A-Za-z0-9_]*."
  }
}

# --- Load balancer ------------------------------------------------------------------

variable "certificate_id" {
  description = "OCID of an OCI Certificates service certificate (ocid1.certificate…) for the HTTPS listener on 443. Required unless enable_http is true."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_id == null || can(regex("^ocid1\\.certificate\\.", var.certificate_id))
    error_message = "certificate_id must be a certificate OCID (ocid1.certificate.…)."
  }
}

variable "enable_http" {
  description = "Also (or, without certificate_id, only) serve plain HTTP on port 80. API keys then cross the network in clear text: for tests or a private network only."
  type        = bool
  default     = false
}

variable "hostname" {
  description = "DNS name clients use for the load balancer (the certificate's name), e.g. ai.example.com; used in the base_url output. Null: the load balancer's public IP."
  type        = string
  default     = null

  validation {
    condition     = var.hostname == null || can(regex("^[A-Za-z0-9.-]+$", var.hostname))
    error_message = "hostname must be a DNS name without scheme or path."
  }
}

variable "lb_min_bandwidth_mbps" {
  description = "Flexible load balancer minimum bandwidth in Mbps (10-8000)."
  type        = number
  default     = 10

  validation {
    condition     = var.lb_min_bandwidth_mbps >= 10 && var.lb_min_bandwidth_mbps <= 8000
    error_message = "lb_min_bandwidth_mbps must be from 10 to 8000."
  }
}

variable "lb_max_bandwidth_mbps" {
  description = "Flexible load balancer maximum bandwidth in Mbps (10-8000, at least lb_min_bandwidth_mbps)."
  type        = number
  default     = 100

  validation {
    condition     = var.lb_max_bandwidth_mbps >= 10 && var.lb_max_bandwidth_mbps <= 8000
    error_message = "lb_max_bandwidth_mbps must be from 10 to 8000."
  }
}

variable "idle_timeout_seconds" {
  description = "Listener idle timeout: how long a connection may carry no bytes before the load balancer closes it. At least 300, so that a long silence while a model thinks does not cut the stream; also at least the server's stream_idle_timeout (120 s)."
  type        = number
  default     = 600

  validation {
    condition     = var.idle_timeout_seconds >= 300 && var.idle_timeout_seconds <= 7200 && floor(var.idle_timeout_seconds) == var.idle_timeout_seconds
    error_message = "idle_timeout_seconds must be a whole number from 300 to 7200."
  }
}

# --- Optional API Gateway in front ---------------------------------------------------

variable "enable_api_gateway" {
  description = "Put a public OCI API Gateway in front of the load balancer (rate limiting, CORS, gateway-side policies). Off by default: whether its HTTP back end streams server-sent events through unbuffered is unconfirmed (see README)."
  type        = bool
  default     = false
}

variable "path_prefix" {
  description = "API Gateway deployment path prefix (enable_api_gateway); clients use https://<gateway-host><path_prefix>/v1. Starts with /, no trailing slash."
  type        = string
  default     = "/openai"

  validation {
    condition     = can(regex("^(/[A-Za-z0-9._~-]+)+$", var.path_prefix)) && length(var.path_prefix) <= 255
    error_message = "path_prefix must start with /, have no trailing slash or empty segments, use only [A-Za-z0-9._~-] in segments and be at most 255 characters."
  }
}

variable "gateway_read_timeout_seconds" {
  description = "API Gateway HTTP back-end read timeout in seconds (enable_api_gateway): longest silence it waits for the load balancer."
  type        = number
  default     = 300

  validation {
    condition     = var.gateway_read_timeout_seconds >= 1 && var.gateway_read_timeout_seconds <= 300
    error_message = "gateway_read_timeout_seconds must be from 1 to 300."
  }
}

# --- IAM and logging ----------------------------------------------------------------

variable "create_iam" {
  description = "Create the dynamic group (always in the tenancy) and the policy. Needs manage dynamic-groups in the tenancy and manage policies in iam_policy_compartment_id; set false and have an administrator create the statements shown in the README instead."
  type        = bool
  default     = true
}

variable "iam_policy_compartment_id" {
  description = "OCID of the compartment the policy is attached to: a common ancestor of the instance, Generative AI, image and Vault compartments. Defaults to the tenancy, which always qualifies."
  type        = string
  default     = null

  validation {
    condition     = var.iam_policy_compartment_id == null || can(regex("^ocid1\\.(compartment|tenancy)\\.", var.iam_policy_compartment_id))
    error_message = "iam_policy_compartment_id must be a compartment or tenancy OCID."
  }
}

variable "image_compartment_id" {
  description = "OCID of the compartment of the OCIR repository holding server_image; the instances pull it with their resource principal (read repos). Defaults to compartment_id."
  type        = string
  default     = null

  validation {
    condition     = var.image_compartment_id == null || can(regex("^ocid1\\.(compartment|tenancy)\\.", var.image_compartment_id))
    error_message = "image_compartment_id must be a compartment or tenancy OCID."
  }
}

variable "enable_logging" {
  description = "Create a log group with the load balancer's access and error logs (and the API gateway's, when enabled)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the created logs in days: 30, 60, 90, 120, 150 or 180."
  type        = number
  default     = 30

  validation {
    condition     = contains([30, 60, 90, 120, 150, 180], var.log_retention_days)
    error_message = "log_retention_days must be one of 30, 60, 90, 120, 150, 180."
  }
}
