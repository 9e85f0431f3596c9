# Service logs: the load balancer's access and error logs, and the API gateway's when it is on.
# The server's own log lines (one per request: id, model, status, duration, opc-request-id; never
# keys or prompts) are read with `oci container-instances container retrieve-logs` (the last
# 256 KB); Container Instances offer no OCI Logging service log for them (UNCONFIRMED beyond the
# documentation read).
locals {
  service_logs = var.enable_logging ? merge(
    {
      lb-access = { service = "loadbalancer", category = "access", resource = oci_load_balancer_load_balancer.this.id }
      lb-error  = { service = "loadbalancer", category = "error", resource = oci_load_balancer_load_balancer.this.id }
    },
    var.enable_api_gateway ? {
      gateway-access = { service = "apigateway", category = "access", resource = oci_apigateway_deployment.this[0].id }
      gateway-exec   = { service = "apigateway", category = "execution", resource = oci_apigateway_deployment.this[0].id }
    } : {},
  ) : {}
}

resource "oci_logging_log_group" "this" {
  count = var.enable_logging ? 1 : 0

  compartment_id = var.compartment_id
  display_name   = "${var.name_prefix}-logs"
  description    = "Logs of the ${var.name_prefix} load balancer and API gateway"
}

resource "oci_logging_log" "service" {
  for_each = local.service_logs

  display_name       = "${var.name_prefix}-${each.key}"
  log_group_id       = oci_logging_log_group.this[0].id
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days

  configuration {
    compartment_id = var.compartment_id

    source {
      service     = each.value.service
      category    = each.value.category
      resource    = each.value.resource
      source_type = "OCISERVICE"
    }
  }
}
