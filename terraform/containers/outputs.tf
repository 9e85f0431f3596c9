output "base_url" {
  description = "OpenAI base URL for clients (Cline, Claude Code via an OpenAI-compatible setting, the OpenAI SDKs): the load balancer (or, with enable_api_gateway, the API gateway) plus /v1. Streams arrive token by token."
  value       = var.enable_api_gateway ? "${oci_apigateway_deployment.this[0].endpoint}/v1" : "${local.lb_base}/v1"
}

output "health_url" {
  description = "Unauthenticated health check URL."
  value       = var.enable_api_gateway ? "${oci_apigateway_deployment.this[0].endpoint}/health" : "${local.lb_base}/health"
}

output "load_balancer_url" {
  description = "The load balancer's own base URL (https://<hostname or IP>), also when an API gateway is in front."
  value       = local.lb_base
}

output "load_balancer_ip" {
  description = "Public IP address of the load balancer: point hostname's DNS record here."
  value       = local.lb_ip
}

output "load_balancer_id" {
  description = "OCID of the load balancer."
  value       = oci_load_balancer_load_balancer.this.id
}

output "container_instance_ids" {
  description = "OCIDs of the container instances."
  value       = oci_container_instances_container_instance.server[*].id
}

output "container_ids" {
  description = "OCIDs of the server containers, for `oci container-instances container retrieve-logs --container-id <id> --file -`."
  value       = [for ci in oci_container_instances_container_instance.server : ci.containers[0].container_id]
}

output "api_key_secret_id" {
  description = "OCID of the Vault secret the instances read their client keys from (null with plain api_key). Rotate keys by adding a secret version."
  value       = local.api_key_secret_id
}
