# Checked offline against the oracle/oci 8.28.0 schema in ../testdata/ (see ../schema_test.go),
# hence the lower bound; stay on 8.x until the schema file is refreshed.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    oci = {
      source  = "oracle/oci"
      version = "~> 8.28"
    }
  }
}

# Credentials come from ~/.oci/config (profile below) unless the usual OCI provider
# environment variables or another auth method are configured.
provider "oci" {
  region              = var.region
  config_file_profile = var.config_file_profile
}
