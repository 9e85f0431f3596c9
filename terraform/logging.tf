# Service logs: function stdout/stderr (invoke) and gateway access/execution logs. Without
# them a 500 from a missing IAM policy or a failing authorizer is invisible. Each log's source
# names the compartment of the resource it reads: the deployment's is the gateway compartment.
locals {
  service_logs = var.enable_logging ? {
    function-invoke = { service = "functions", category = "invoke", resource = oci_functions_application.this.id, compartment = var.compartment_id }
    gateway-access  = { service = "apigateway", category = "access", resource = oci_apigateway_deployment.this.id, compartment = local.gateway_compartment_id }
    gateway-exec    = { service = "apigateway", category = "execution", resource = oci_apigateway_deployment.this.id, compartment = local.gateway_compartment_id }
  } : {}
}

resource "oci_logging_log_group" "this" {
  count = var.enable_logging ? 1 : 0

  compartment_id = var.compartment_id
  display_name   = "${var.name_prefix}-logs"
  description    = "Logs of the ${var.name_prefix} function and API gateway"
}

resource "oci_logging_log" "service" {
  for_each = local.service_logs

  display_name       = "${var.name_prefix}-${each.key}"
  log_group_id       = oci_logging_log_group.this[0].id
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days

  configuration {
    compartment_id = each.value.compartment

    source {
      service     = each.value.service
      category    = each.value.category
      resource    = each.value.resource
      source_type = "OCISERVICE"
    }
  }
}
