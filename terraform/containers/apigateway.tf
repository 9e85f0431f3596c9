# Optional: a public OCI API Gateway in front of the load balancer, for its rate limiting and
# policies. Off by default: whether its HTTP back end passes server-sent events through unbuffered
# is unconfirmed (README), and every route adds the gateway's read timeout (at most 300 s) as a
# limit on silence between stream events.
locals {
  lb_ip      = oci_load_balancer_load_balancer.this.ip_address_details[0].ip_address
  lb_host    = coalesce(var.hostname, local.lb_ip)
  lb_scheme  = var.certificate_id != null ? "https" : "http"
  lb_base    = "${local.lb_scheme}://${local.lb_host}"
  gateway_on = var.enable_api_gateway ? 1 : 0
}

resource "oci_apigateway_gateway" "this" {
  count = local.gateway_on

  compartment_id = var.compartment_id
  endpoint_type  = "PUBLIC"
  subnet_id      = local.lb_subnet_id
  display_name   = "${var.name_prefix}-gw"
}

resource "oci_apigateway_deployment" "this" {
  count = local.gateway_on

  compartment_id = var.compartment_id
  gateway_id     = oci_apigateway_gateway.this[0].id
  path_prefix    = var.path_prefix
  display_name   = "${var.name_prefix}-deployment"

  specification {
    routes {
      path    = "/v1/{path*}"
      methods = ["ANY"]

      backend {
        type                       = "HTTP_BACKEND"
        url                        = "${local.lb_base}/v1/$${request.path[path]}"
        connect_timeout_in_seconds = 10
        read_timeout_in_seconds    = var.gateway_read_timeout_seconds
        send_timeout_in_seconds    = 60
        # The certificate names hostname; without one the gateway would reach the bare IP.
        is_ssl_verify_disabled = var.hostname == null
      }
    }

    routes {
      path    = "/health"
      methods = ["GET"]

      backend {
        type                   = "HTTP_BACKEND"
        url                    = "${local.lb_base}/health"
        is_ssl_verify_disabled = var.hostname == null
      }
    }
  }
}
