#!/bin/sh
# Builds one entry point the way the images ship it: static, stripped, version-stamped. Both Dockerfile targets
# and the server image's test run this script, so the build flags exist once.
#
#   ./build.sh <package> <output>      e.g. ./build.sh ./cmd/ociai-proxy ociai-proxy   (. is the OCI Function)
#
# VERSION (default dev) is stamped into the binary. CRYPTO=boring (default) links BoringCrypto: every OCI call
# is RSA-signed, and BoringSSL signs about 40 % faster than Go's own RSA (BENCHMARKS.md, "Signing options"); it
# needs gcc and a static C library. CRYPTO=go builds the pure-Go binary (no C toolchain).
set -eu
[ $# -eq 2 ] || { echo "usage: $0 <package> <output>" >&2; exit 2; }
stamp="-X github.com/ociai/ociai-proxy/gateway.Version=${VERSION:-dev}"
case "${CRYPTO:-boring}" in
boring)
	CGO_ENABLED=1 GOEXPERIMENT=boringcrypto exec go build -trimpath -tags osusergo,netgo \
		-ldflags "-s -w -linkmode external -extldflags -static $stamp" -o "$2" "$1" ;;
go)
	CGO_ENABLED=0 exec go build -trimpath -ldflags "-s -w $stamp" -o "$2" "$1" ;;
*)
	echo "$0: CRYPTO must be boring or go, not ${CRYPTO}" >&2; exit 2 ;;
esac
