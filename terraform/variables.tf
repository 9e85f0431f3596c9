# Conditions guard optional values with can(...) because Terraform's || does not
# short-circuit: regex(..., null) would be an error rather than false.

# --- Provider and placement -------------------------------------------------

variable "tenancy_ocid" {
  description = "OCID of the tenancy (root compartment). The dynamic group is always created here and, by default, the IAM policies too."
  type        = string

  validation {
    condition     = can(regex("^ocid1\\.tenancy\\.", var.tenancy_ocid))
    error_message = "tenancy_ocid must be a tenancy OCID (ocid1.tenancy.…)."
  }
}

variable "region" {
  description = "OCI region identifier for every resource in this stack, e.g. us-chicago-1. The function image must be in OCIR in this region."
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
  description = "OCID of the compartment for the Functions application and function, and the default for every other compartment variable."
  type        = string

  validation {
    condition     = can(regex("^ocid1\\.(compartment|tenancy)\\.", var.compartment_id))
    error_message = "compartment_id must be a compartment OCID (ocid1.compartment.… or the tenancy OCID)."
  }
}

variable "network_compartment_id" {
  description = "OCID of the compartment for the VCN, gateways and subnets this stack creates. Defaults to compartment_id."
  type        = string
  default     = null

  validation {
    condition     = var.network_compartment_id == null || can(regex("^ocid1\\.(compartment|tenancy)\\.", var.network_compartment_id))
    error_message = "network_compartment_id must be a compartment OCID."
  }
}

variable "gateway_compartment_id" {
  description = "OCID of the compartment for the API gateway and its deployment. Defaults to compartment_id. The invoke policy trusts API gateways in this compartment only."
  type        = string
  default     = null

  validation {
    condition     = var.gateway_compartment_id == null || can(regex("^ocid1\\.(compartment|tenancy)\\.", var.gateway_compartment_id))
    error_message = "gateway_compartment_id must be a compartment OCID."
  }
}

variable "name_prefix" {
  description = "Prefix for display names, and the names of the dynamic group and policies (which must be unique in the tenancy)."
  type        = string
  default     = "ociai-proxy"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,31}$", var.name_prefix))
    error_message = "name_prefix must be 1-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

# --- Network ------------------------------------------------------------------

variable "public_subnet_id" {
  description = "OCID of an existing regional public subnet for the API gateway (must allow ingress TCP 443). Null: this stack creates one."
  type        = string
  default     = null

  validation {
    condition     = var.public_subnet_id == null || can(regex("^ocid1\\.subnet\\.", var.public_subnet_id))
    error_message = "public_subnet_id must be a subnet OCID (ocid1.subnet.…)."
  }
}

variable "private_subnet_id" {
  description = "OCID of an existing private subnet for the function, with egress to OCI Generative AI (NAT or service gateway). Null: this stack creates one. Give both subnet variables to create no network resources at all."
  type        = string
  default     = null

  validation {
    condition     = var.private_subnet_id == null || can(regex("^ocid1\\.subnet\\.", var.private_subnet_id))
    error_message = "private_subnet_id must be a subnet OCID (ocid1.subnet.…)."
  }
}

variable "vcn_cidr" {
  description = "IPv4 CIDR of the VCN created when a subnet is not supplied."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vcn_cidr))
    error_message = "vcn_cidr must be an IPv4 CIDR block."
  }
}

variable "public_subnet_cidr" {
  description = "IPv4 CIDR of the created public (API gateway) subnet; must lie inside vcn_cidr."
  type        = string
  default     = "10.0.1.0/24"

  validation {
    condition     = can(cidrnetmask(var.public_subnet_cidr))
    error_message = "public_subnet_cidr must be an IPv4 CIDR block."
  }
}

variable "private_subnet_cidr" {
  description = "IPv4 CIDR of the created private (function) subnet; must lie inside vcn_cidr."
  type        = string
  default     = "10.0.2.0/24"

  validation {
    condition     = can(cidrnetmask(var.private_subnet_cidr))
    error_message = "private_subnet_cidr must be an IPv4 CIDR block."
  }
}

variable "gateway_ingress_cidr" {
  description = "Source CIDR allowed to reach the API gateway on TCP 443 (created security list only)."
  type        = string
  default     = "0.0.0.0/0"

  validation {
    condition     = can(cidrnetmask(var.gateway_ingress_cidr))
    error_message = "gateway_ingress_cidr must be an IPv4 CIDR block."
  }
}

# --- Function -----------------------------------------------------------------

variable "function_image" {
  description = "Full OCIR image reference of the proxy, built from the repo's Dockerfile, e.g. ord.ocir.io/<namespace>/ociai-proxy:0.1.0 (tag or @sha256 digest). Its architecture must match application_shape."
  type        = string

  validation {
    condition     = can(regex("^\\S+/\\S+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.function_image))
    error_message = "function_image must be a registry/repository reference with a :tag or @sha256 digest."
  }
}

variable "application_shape" {
  description = "Functions application shape (processor architecture of the image): GENERIC_X86, GENERIC_ARM or GENERIC_X86_ARM. Changing it recreates the application."
  type        = string
  default     = "GENERIC_X86"

  validation {
    condition     = contains(["GENERIC_X86", "GENERIC_ARM", "GENERIC_X86_ARM"], var.application_shape)
    error_message = "application_shape must be GENERIC_X86, GENERIC_ARM or GENERIC_X86_ARM."
  }
}

variable "function_memory_mb" {
  description = "Function memory in MB: one of 128, 256, 512, 1024, 2048, 3072."
  type        = number
  default     = 512

  validation {
    condition     = contains([128, 256, 512, 1024, 2048, 3072], var.function_memory_mb)
    error_message = "function_memory_mb must be one of 128, 256, 512, 1024, 2048, 3072."
  }
}

variable "function_timeout_seconds" {
  description = "Function timeout in seconds (1-300, the synchronous-invocation maximum). Long generations need the maximum because responses are buffered."
  type        = number
  default     = 300

  validation {
    condition     = var.function_timeout_seconds >= 1 && var.function_timeout_seconds <= 300 && floor(var.function_timeout_seconds) == var.function_timeout_seconds
    error_message = "function_timeout_seconds must be a whole number from 1 to 300."
  }
}

variable "provisioned_concurrency" {
  description = "Provisioned concurrency units (PCUs) kept warm; 0 disables. Must be a multiple of 10 (of 20 at 256 MB, of 40 at 128 MB)."
  type        = number
  default     = 0

  validation {
    condition     = var.provisioned_concurrency >= 0 && var.provisioned_concurrency % 10 == 0
    error_message = "provisioned_concurrency must be 0 or a positive multiple of 10."
  }
}

# --- Proxy settings (passed to the function as OCIAI_* config) ------------------

variable "api_key" {
  description = "Bearer API key clients must send (OCIAI_API_KEY), for simple setups. Required unless auth_via_gateway is true or the keys are in Vault (api_key_secret_id). Stored in the function config and in Terraform state: protect the state. With create_api_key_secret it is the secret's first content instead."
  type        = string
  default     = ""
  sensitive   = true

  # Placeholders: <...> as in the examples, and the proxy's own "generate a key" marker, which
  # cannot work in Functions (every instance would generate a different key).
  validation {
    condition = var.api_key == "" || (
      can(regex("^[!-~]{16,}$", var.api_key)) && !can(regex("^<.*>$", var.api_key)) && var.api_key != "auto_generated_key"
    )
    error_message = "api_key must be a real key of at least 16 printable ASCII characters without spaces."
  }
}

variable "api_key_secret_id" {
  description = "OCID of an existing OCI Vault secret holding the client keys (`name=key` entries, or one key). The function reads it with its resource principal at start and every 5 minutes (OCIAI_API_KEY_SECRET_OCID), so rotating it needs no redeploy; no key is in Terraform state."
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

variable "extra_config" {
  description = "Additional function config entries (environment variables), e.g. other OCIAI_* settings. Overrides the generated ones on key collision. App + function config must stay under 4 KB."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.extra_config) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k))])
    error_message = "extra_config keys must match [A-Za-z_][A-Za-z0-9_]*."
  }
}

# --- API Gateway ------------------------------------------------------------------

variable "path_prefix" {
  description = "Deployment path prefix; clients use https://<gateway-host><path_prefix>/v1 as their OpenAI base URL. Starts with /, no trailing slash."
  type        = string
  default     = "/openai"

  validation {
    condition     = can(regex("^(/[A-Za-z0-9._~-]+)+$", var.path_prefix)) && length(var.path_prefix) <= 255
    error_message = "path_prefix must start with /, have no trailing slash or empty segments, use only [A-Za-z0-9._~-] in segments and be at most 255 characters."
  }
}

variable "cors_allowed_origins" {
  description = "Origins allowed by the API Gateway CORS policy (the function leaves CORS to the gateway): \"*\" or scheme://host[:port]."
  type        = list(string)
  default     = ["*"]

  validation {
    condition = length(var.cors_allowed_origins) > 0 && alltrue([
      for o in var.cors_allowed_origins : o == "*" || can(regex("^https?://[^/,\\s]+$", o))
    ])
    error_message = "cors_allowed_origins must be non-empty; each entry \"*\" or scheme://host[:port] without a path."
  }
}

# A "*" in Access-Control-Allow-Headers does not cover Authorization (Fetch spec), so the
# headers browsers send with the OpenAI JS SDK are listed explicitly.
# UNCONFIRMED: completeness of the x-stainless-* list for every SDK version.
variable "cors_allowed_headers" {
  description = "Request headers allowed by the CORS policy (Authorization must be listed explicitly for browser clients)."
  type        = list(string)
  default = [
    "Authorization",
    "Content-Type",
    "x-api-key",
    "OpenAI-Organization",
    "OpenAI-Project",
    "OpenAI-Beta",
    "anthropic-version",
    "anthropic-beta",
    "anthropic-dangerous-direct-browser-access",
    "x-stainless-arch",
    "x-stainless-lang",
    "x-stainless-os",
    "x-stainless-package-version",
    "x-stainless-retry-count",
    "x-stainless-runtime",
    "x-stainless-runtime-version",
    "x-stainless-timeout",
  ]

  validation {
    condition     = length(var.cors_allowed_headers) > 0
    error_message = "cors_allowed_headers must not be empty."
  }
}

variable "rate_limit_per_second" {
  description = "Gateway rate limit in requests per second per client IP; 0 disables rate limiting."
  type        = number
  default     = 0

  validation {
    condition     = var.rate_limit_per_second >= 0 && floor(var.rate_limit_per_second) == var.rate_limit_per_second
    error_message = "rate_limit_per_second must be a whole number >= 0."
  }
}

variable "auth_via_gateway" {
  description = "true: the gateway authenticates requests with the authorizer function (authorizer_function_id) and the proxy trusts it (OCIAI_AUTH_VIA_GATEWAY=true). false: the proxy checks the Bearer api_key itself."
  type        = bool
  default     = false
}

variable "authorizer_function_id" {
  description = "OCID of a multi-argument authorizer function (receives {\"type\":\"USER_DEFINED\",\"data\":{\"authorization\":\"Bearer …\"}}). Required when auth_via_gateway is true."
  type        = string
  default     = null

  validation {
    condition     = var.authorizer_function_id == null || can(regex("^ocid1\\.fnfunc\\.", var.authorizer_function_id))
    error_message = "authorizer_function_id must be a function OCID (ocid1.fnfunc.…)."
  }
}

variable "authorizer_compartment_id" {
  description = "OCID of the authorizer function's compartment, so the gateway may invoke it. Defaults to compartment_id."
  type        = string
  default     = null

  validation {
    condition     = var.authorizer_compartment_id == null || can(regex("^ocid1\\.(compartment|tenancy)\\.", var.authorizer_compartment_id))
    error_message = "authorizer_compartment_id must be a compartment OCID."
  }
}

# --- IAM and logging ----------------------------------------------------------------

variable "create_iam" {
  description = "Create the dynamic group (always in the tenancy) and the two policies. Needs manage dynamic-groups in the tenancy and manage policies in iam_policy_compartment_id; set false and have an administrator create the statements shown in the README instead."
  type        = bool
  default     = true
}

variable "iam_policy_compartment_id" {
  description = "OCID of the compartment the policies are attached to. A policy only grants access to its own compartment and its descendants, so this must be a common ancestor of the function, Generative AI and authorizer compartments. Defaults to the tenancy, which always qualifies."
  type        = string
  default     = null

  validation {
    condition     = var.iam_policy_compartment_id == null || can(regex("^ocid1\\.(compartment|tenancy)\\.", var.iam_policy_compartment_id))
    error_message = "iam_policy_compartment_id must be a compartment or tenancy OCID."
  }
}

variable "enable_logging" {
  description = "Create a log group with the function invoke log and the gateway access and execution logs."
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
