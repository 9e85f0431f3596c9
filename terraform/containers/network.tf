# Network: a VCN with a public subnet for the load balancer (and the optional API gateway) and a
# private subnet for the container instances. Supply vcn_id, lb_subnet_id and instance_subnet_id
# together to create none of it; the network security groups are always created.
#
# Who may talk to whom: the instances' NSG admits only the load balancer's NSG, on the container
# port (requests and health checks); the private subnet's security list admits nothing. The public
# subnet's security list admits HTTPS (and HTTP when enabled) from ingress_cidr.
locals {
  create_network     = var.vcn_id == null
  vcn_id             = local.create_network ? oci_core_vcn.this[0].id : var.vcn_id
  lb_subnet_id       = local.create_network ? oci_core_subnet.lb[0].id : var.lb_subnet_id
  instance_subnet_id = local.create_network ? oci_core_subnet.instances[0].id : var.instance_subnet_id
  listener_ports     = concat(var.certificate_id != null ? [443] : [], var.enable_http ? [80] : [])
}

resource "oci_core_vcn" "this" {
  count = local.create_network ? 1 : 0

  compartment_id = local.network_compartment_id
  display_name   = "${var.name_prefix}-vcn"
  cidr_blocks    = [var.vcn_cidr]
  dns_label      = "ociaici"

  lifecycle {
    precondition {
      condition     = var.lb_subnet_id == null && var.instance_subnet_id == null
      error_message = "Give vcn_id together with lb_subnet_id and instance_subnet_id, or none of them."
    }
  }
}

# --- Public subnet: the load balancer, reachable through the internet gateway.

resource "oci_core_internet_gateway" "this" {
  count = local.create_network ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = local.vcn_id
  display_name   = "${var.name_prefix}-igw"
  enabled        = true
}

resource "oci_core_route_table" "lb" {
  count = local.create_network ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = local.vcn_id
  display_name   = "${var.name_prefix}-lb-rt"

  route_rules {
    destination       = "0.0.0.0/0"
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_internet_gateway.this[0].id
  }
}

resource "oci_core_security_list" "lb" {
  count = local.create_network ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = local.vcn_id
  display_name   = "${var.name_prefix}-lb-sl"

  dynamic "ingress_security_rules" {
    for_each = local.listener_ports
    content {
      description = "Clients to the load balancer (and API gateway) on ${ingress_security_rules.value}"
      protocol    = "6" # TCP
      source      = var.ingress_cidr
      source_type = "CIDR_BLOCK"

      tcp_options {
        min = ingress_security_rules.value
        max = ingress_security_rules.value
      }
    }
  }

  # The load balancer reaches the instances (its NSG narrows this to the container port); the API
  # gateway reaches the load balancer's public address.
  egress_security_rules {
    protocol         = "all"
    destination      = "0.0.0.0/0"
    destination_type = "CIDR_BLOCK"
  }
}

resource "oci_core_subnet" "lb" {
  count = local.create_network ? 1 : 0

  compartment_id             = local.network_compartment_id
  vcn_id                     = local.vcn_id
  display_name               = "${var.name_prefix}-lb"
  cidr_block                 = var.lb_subnet_cidr
  dns_label                  = "lb"
  prohibit_public_ip_on_vnic = false
  route_table_id             = oci_core_route_table.lb[0].id
  security_list_ids          = [oci_core_security_list.lb[0].id]
}

# --- Private subnet: the container instances. Oracle services (Generative AI, Vault, OCIR, the
# resource principal's token service) through the service gateway; NAT for the rest. Whether the
# Generative AI endpoint is in the service gateway's "All services" CIDR is UNCONFIRMED, so both
# routes exist.

data "oci_core_services" "all" {
  count = local.create_network ? 1 : 0

  filter {
    name   = "name"
    values = ["All .* Services In Oracle Services Network"]
    regex  = true
  }
}

resource "oci_core_nat_gateway" "this" {
  count = local.create_network ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = local.vcn_id
  display_name   = "${var.name_prefix}-nat"
}

resource "oci_core_service_gateway" "this" {
  count = local.create_network ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = local.vcn_id
  display_name   = "${var.name_prefix}-sgw"

  services {
    service_id = data.oci_core_services.all[0].services[0].id
  }
}

resource "oci_core_route_table" "instances" {
  count = local.create_network ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = local.vcn_id
  display_name   = "${var.name_prefix}-instances-rt"

  route_rules {
    destination       = "0.0.0.0/0"
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_nat_gateway.this[0].id
  }

  route_rules {
    destination       = data.oci_core_services.all[0].services[0].cidr_block
    destination_type  = "SERVICE_CIDR_BLOCK"
    network_entity_id = oci_core_service_gateway.this[0].id
  }
}

# Egress only: the instances' NSG is the one way in.
resource "oci_core_security_list" "instances" {
  count = local.create_network ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = local.vcn_id
  display_name   = "${var.name_prefix}-instances-sl"

  egress_security_rules {
    protocol         = "all"
    destination      = "0.0.0.0/0"
    destination_type = "CIDR_BLOCK"
  }
}

resource "oci_core_subnet" "instances" {
  count = local.create_network ? 1 : 0

  compartment_id             = local.network_compartment_id
  vcn_id                     = local.vcn_id
  display_name               = "${var.name_prefix}-instances"
  cidr_block                 = var.instance_subnet_cidr
  dns_label                  = "ci"
  prohibit_public_ip_on_vnic = true
  route_table_id             = oci_core_route_table.instances[0].id
  security_list_ids          = [oci_core_security_list.instances[0].id]
}

# --- Network security groups: load balancer -> instances on the container port, nothing else in.

resource "oci_core_network_security_group" "lb" {
  compartment_id = local.network_compartment_id
  vcn_id         = local.vcn_id
  display_name   = "${var.name_prefix}-lb-nsg"
}

resource "oci_core_network_security_group" "instances" {
  compartment_id = local.network_compartment_id
  vcn_id         = local.vcn_id
  display_name   = "${var.name_prefix}-instances-nsg"
}

resource "oci_core_network_security_group_security_rule" "lb_ingress" {
  for_each = toset([for p in local.listener_ports : tostring(p)])

  network_security_group_id = oci_core_network_security_group.lb.id
  direction                 = "INGRESS"
  protocol                  = "6"
  source                    = var.ingress_cidr
  source_type               = "CIDR_BLOCK"
  description               = "Clients to the listener on ${each.value}"

  tcp_options {
    destination_port_range {
      min = tonumber(each.value)
      max = tonumber(each.value)
    }
  }
}

resource "oci_core_network_security_group_security_rule" "lb_to_instances" {
  network_security_group_id = oci_core_network_security_group.lb.id
  direction                 = "EGRESS"
  protocol                  = "6"
  destination               = oci_core_network_security_group.instances.id
  destination_type          = "NETWORK_SECURITY_GROUP"
  description               = "Requests and health checks to the instances"

  tcp_options {
    destination_port_range {
      min = var.container_port
      max = var.container_port
    }
  }
}

resource "oci_core_network_security_group_security_rule" "instances_from_lb" {
  network_security_group_id = oci_core_network_security_group.instances.id
  direction                 = "INGRESS"
  protocol                  = "6"
  source                    = oci_core_network_security_group.lb.id
  source_type               = "NETWORK_SECURITY_GROUP"
  description               = "Only the load balancer, only the container port"

  tcp_options {
    destination_port_range {
      min = var.container_port
      max = var.container_port
    }
  }
}

# Generative AI, Vault, OCIR and the token service are HTTPS endpoints.
resource "oci_core_network_security_group_security_rule" "instances_egress" {
  network_security_group_id = oci_core_network_security_group.instances.id
  direction                 = "EGRESS"
  protocol                  = "6"
  destination               = "0.0.0.0/0"
  destination_type          = "CIDR_BLOCK"
  description               = "HTTPS to OCI services"

  tcp_options {
    destination_port_range {
      min = 443
      max = 443
    }
  }
}
