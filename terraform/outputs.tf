output "base_url" {
  description = "OpenAI base URL for clients (Cherry Studio, Cline, the OpenAI SDKs): the deployment endpoint plus /v1."
  value       = "${oci_apigateway_deployment.this.endpoint}/v1"
}

output "health_url" {
  description = "Unauthenticated health check URL."
  value       = "${oci_apigateway_deployment.this.endpoint}/health"
}

output "function_id" {
  description = "OCID of the proxy function."
  value       = oci_functions_function.proxy.id
}

output "application_id" {
  description = "OCID of the Functions application (its display name is <name_prefix>-app for the fn CLI)."
  value       = oci_functions_application.this.id
}

output "gateway_hostname" {
  description = "Hostname of the API gateway."
  value       = oci_apigateway_gateway.this.hostname
}
