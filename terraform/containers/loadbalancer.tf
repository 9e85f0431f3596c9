# A public flexible load balancer in front of the instances: HTTPS on 443 with an OCI Certificates
# certificate (plain HTTP on 80 only when enable_http is set), health checks on /health, an idle
# timeout long enough for a model that thinks quietly, and least-connections balancing, because a
# stream holds its connection for minutes and round robin would pile long streams on one instance.
resource "oci_load_balancer_load_balancer" "this" {
  compartment_id             = var.compartment_id
  display_name               = "${var.name_prefix}-lb"
  shape                      = "flexible"
  subnet_ids                 = [local.lb_subnet_id]
  is_private                 = false
  network_security_group_ids = [oci_core_network_security_group.lb.id]

  shape_details {
    minimum_bandwidth_in_mbps = var.lb_min_bandwidth_mbps
    maximum_bandwidth_in_mbps = var.lb_max_bandwidth_mbps
  }

  lifecycle {
    precondition {
      condition     = var.certificate_id != null || var.enable_http
      error_message = "Set certificate_id for the HTTPS listener, or enable_http = true to serve plain HTTP (API keys then travel in clear text)."
    }

    precondition {
      condition     = var.lb_min_bandwidth_mbps <= var.lb_max_bandwidth_mbps
      error_message = "lb_min_bandwidth_mbps must not exceed lb_max_bandwidth_mbps."
    }
  }
}

resource "oci_load_balancer_backend_set" "servers" {
  load_balancer_id = oci_load_balancer_load_balancer.this.id
  name             = "servers"
  policy           = "LEAST_CONNECTIONS"

  health_checker {
    protocol          = "HTTP"
    port              = var.container_port
    url_path          = "/health"
    return_code       = 200
    interval_ms       = 10000
    timeout_in_millis = 3000
    retries           = 3
  }
}

resource "oci_load_balancer_backend" "servers" {
  count = var.instance_count

  load_balancer_id = oci_load_balancer_load_balancer.this.id
  backendset_name  = oci_load_balancer_backend_set.servers.name
  ip_address       = oci_container_instances_container_instance.server[count.index].vnics[0].private_ip
  port             = var.container_port

  lifecycle {
    create_before_destroy = true
  }
}

resource "oci_load_balancer_listener" "https" {
  count = var.certificate_id != null ? 1 : 0

  load_balancer_id         = oci_load_balancer_load_balancer.this.id
  name                     = "https"
  default_backend_set_name = oci_load_balancer_backend_set.servers.name
  port                     = 443
  protocol                 = "HTTP" # HTTP over the TLS that ssl_configuration terminates

  ssl_configuration {
    certificate_ids         = [var.certificate_id]
    protocols               = ["TLSv1.2"] # TLS 1.3 needs a matching cipher suite; UNCONFIRMED which the default one is
    server_order_preference = "ENABLED"
    verify_peer_certificate = false
  }

  connection_configuration {
    idle_timeout_in_seconds = tostring(var.idle_timeout_seconds)
  }
}

resource "oci_load_balancer_listener" "http" {
  count = var.enable_http ? 1 : 0

  load_balancer_id         = oci_load_balancer_load_balancer.this.id
  name                     = "http"
  default_backend_set_name = oci_load_balancer_backend_set.servers.name
  port                     = 80
  protocol                 = "HTTP"

  connection_configuration {
    idle_timeout_in_seconds = tostring(var.idle_timeout_seconds)
  }
}
