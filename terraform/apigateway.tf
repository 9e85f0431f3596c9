# A PUBLIC API gateway with one deployment that sends the OpenAI API surface to the function.
resource "oci_apigateway_gateway" "this" {
  compartment_id = local.gateway_compartment_id
  endpoint_type  = "PUBLIC"
  subnet_id      = local.public_subnet_id
  display_name   = "${var.name_prefix}-gw"
}

resource "oci_apigateway_deployment" "this" {
  compartment_id = local.gateway_compartment_id
  gateway_id     = oci_apigateway_gateway.this.id
  path_prefix    = var.path_prefix
  display_name   = "${var.name_prefix}-deployment"

  specification {
    request_policies {
      # The gateway answers preflight requests itself.
      cors {
        allowed_origins    = var.cors_allowed_origins
        allowed_methods    = ["GET", "POST", "DELETE", "OPTIONS"]
        allowed_headers    = var.cors_allowed_headers
        max_age_in_seconds = 600
      }

      dynamic "rate_limiting" {
        for_each = var.rate_limit_per_second > 0 ? [var.rate_limit_per_second] : []
        content {
          rate_in_requests_per_second = rate_limiting.value
          rate_key                    = "CLIENT_IP"
        }
      }

      # Multi-argument CUSTOM_AUTHENTICATION (Oracle's recommended form; the provider documents
      # validation_failure_policy for it). The authorizer gets the raw Authorization header;
      # results are cached per header value.
      dynamic "authentication" {
        for_each = var.auth_via_gateway ? [var.authorizer_function_id] : []
        content {
          type        = "CUSTOM_AUTHENTICATION"
          function_id = authentication.value
          parameters  = { authorization = "request.headers[Authorization]" }
          cache_key   = ["authorization"]
          # Needed so /health can be ANONYMOUS; every other route stays AUTHENTICATION_ONLY.
          is_anonymous_access_allowed = true

          validation_failure_policy {
            type             = "MODIFY_RESPONSE"
            response_code    = "401"
            response_message = "Unauthorized"

            response_header_transformations {
              set_headers {
                items {
                  name      = "WWW-Authenticate"
                  values    = ["Bearer"]
                  if_exists = "OVERWRITE"
                }
              }
            }
          }
        }
      }
    }

    routes {
      path    = "/v1/{path*}"
      methods = ["ANY"]

      backend {
        type        = "ORACLE_FUNCTIONS_BACKEND"
        function_id = oci_functions_function.proxy.id
      }

      dynamic "request_policies" {
        for_each = var.auth_via_gateway ? ["AUTHENTICATION_ONLY"] : []
        content {
          authorization {
            type = request_policies.value
          }
        }
      }
    }

    routes {
      path    = "/health"
      methods = ["GET"]

      backend {
        type        = "ORACLE_FUNCTIONS_BACKEND"
        function_id = oci_functions_function.proxy.id
      }

      dynamic "request_policies" {
        for_each = var.auth_via_gateway ? ["ANONYMOUS"] : []
        content {
          authorization {
            type = request_policies.value
          }
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = !var.auth_via_gateway || var.authorizer_function_id != null
      error_message = "authorizer_function_id is required when auth_via_gateway is true."
    }
  }
}
