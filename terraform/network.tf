# Network for the stack: a VCN with a public subnet (API gateway) and a private subnet
# (function). Each half is created only when the matching *_subnet_id is not supplied, so
# giving both existing subnets creates nothing here.
locals {
  create_public_subnet  = var.public_subnet_id == null
  create_private_subnet = var.private_subnet_id == null
  create_vcn            = local.create_public_subnet || local.create_private_subnet

  public_subnet_id  = local.create_public_subnet ? oci_core_subnet.public[0].id : var.public_subnet_id
  private_subnet_id = local.create_private_subnet ? oci_core_subnet.private[0].id : var.private_subnet_id
}

resource "oci_core_vcn" "this" {
  count = local.create_vcn ? 1 : 0

  compartment_id = local.network_compartment_id
  display_name   = "${var.name_prefix}-vcn"
  cidr_blocks    = [var.vcn_cidr]
  dns_label      = "ociaiproxy"
}

# --- Public subnet: the PUBLIC API gateway, reachable on 443 through the internet gateway.

resource "oci_core_internet_gateway" "this" {
  count = local.create_public_subnet ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-igw"
  enabled        = true
}

resource "oci_core_route_table" "public" {
  count = local.create_public_subnet ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-public-rt"

  route_rules {
    destination       = "0.0.0.0/0"
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_internet_gateway.this[0].id
  }
}

resource "oci_core_security_list" "public" {
  count = local.create_public_subnet ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-public-sl"

  ingress_security_rules {
    description = "HTTPS to the API gateway"
    protocol    = "6" # TCP
    source      = var.gateway_ingress_cidr
    source_type = "CIDR_BLOCK"

    tcp_options {
      min = 443
      max = 443
    }
  }

  # The gateway calls the Functions service (and the authorizer) through its public endpoint.
  egress_security_rules {
    protocol         = "all"
    destination      = "0.0.0.0/0"
    destination_type = "CIDR_BLOCK"
  }
}

resource "oci_core_subnet" "public" {
  count = local.create_public_subnet ? 1 : 0

  compartment_id             = local.network_compartment_id
  vcn_id                     = oci_core_vcn.this[0].id
  display_name               = "${var.name_prefix}-public"
  cidr_block                 = var.public_subnet_cidr
  dns_label                  = "gw"
  prohibit_public_ip_on_vnic = false
  route_table_id             = oci_core_route_table.public[0].id
  security_list_ids          = [oci_core_security_list.public[0].id]
}

# --- Private subnet: the function; egress through NAT, and to Oracle services through the
# service gateway. NAT alone is enough for Generative AI; whether its endpoint is in the
# service gateway's "All services" CIDR is UNCONFIRMED, so keep both routes.

data "oci_core_services" "all" {
  count = local.create_private_subnet ? 1 : 0

  filter {
    name   = "name"
    values = ["All .* Services In Oracle Services Network"]
    regex  = true
  }
}

resource "oci_core_nat_gateway" "this" {
  count = local.create_private_subnet ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-nat"
}

resource "oci_core_service_gateway" "this" {
  count = local.create_private_subnet ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-sgw"

  services {
    service_id = data.oci_core_services.all[0].services[0].id
  }
}

resource "oci_core_route_table" "private" {
  count = local.create_private_subnet ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-private-rt"

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

# Egress only: nothing connects to a function's VNIC, invocations arrive through the service.
resource "oci_core_security_list" "private" {
  count = local.create_private_subnet ? 1 : 0

  compartment_id = local.network_compartment_id
  vcn_id         = oci_core_vcn.this[0].id
  display_name   = "${var.name_prefix}-private-sl"

  egress_security_rules {
    protocol         = "all"
    destination      = "0.0.0.0/0"
    destination_type = "CIDR_BLOCK"
  }
}

resource "oci_core_subnet" "private" {
  count = local.create_private_subnet ? 1 : 0

  compartment_id             = local.network_compartment_id
  vcn_id                     = oci_core_vcn.this[0].id
  display_name               = "${var.name_prefix}-private"
  cidr_block                 = var.private_subnet_cidr
  dns_label                  = "fn"
  prohibit_public_ip_on_vnic = true
  route_table_id             = oci_core_route_table.private[0].id
  security_list_ids          = [oci_core_security_list.private[0].id]
}
