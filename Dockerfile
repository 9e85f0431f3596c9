# Two images from one source tree; both binaries are built by ./build.sh, so their flags are the same.
#
#   docker build -t <region>.ocir.io/<namespace>/ociai-proxy:<tag> .                  the OCI Function (func.go; default)
#   docker build --target server -t <region>.ocir.io/<namespace>/ociai-proxy-server:<tag> .   the streaming server
#
# Build arguments: VERSION (stamped into the binary, default dev), CRYPTO=boring (default: BoringCrypto, faster
# RSA signing of every OCI call) or go (pure Go). The stock Fn Go images are older than the Go 1.26 the OCI SDK
# needs, hence `runtime: docker` in func.yaml.
FROM golang:1.26 AS source
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .

FROM source AS build-server
ARG VERSION
ARG CRYPTO
RUN ./build.sh ./cmd/ociai-proxy /out/ociai-proxy

FROM source AS build-function
ARG VERSION
ARG CRYPTO
RUN ./build.sh . /out/func

# The server (cmd/ociai-proxy) for OCI Container Instances, OKE or any container host: it streams token by token.
# It listens on $PORT (8080), answers GET /health without a key, and on SIGTERM stops accepting and lets
# in-flight streams finish (-shutdown-timeout, 30 s). Configuration: OCIAI_* environment variables and/or a
# config file mounted at /etc/ociai-proxy/config.conf. In OCI it signs with its resource principal (Container
# Instances and Functions set OCI_RESOURCE_PRINCIPAL_*; auth then defaults to resource_principal).
# distroless/static: CA certificates, no shell; uid 65532 is its nonroot user, given as a number so that
# platforms can check it is not root.
FROM gcr.io/distroless/static-debian12:nonroot AS server
COPY --from=build-server /out/ociai-proxy /ociai-proxy
WORKDIR /etc/ociai-proxy
ENV PORT=8080 HOME=/home/nonroot OCIAI_HOST=0.0.0.0
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/ociai-proxy"]

# The OCI Function (func.go), the default target: last in this file.
# UNCONFIRMED: that OCI Functions accepts a non-root image user; the FDK makes its socket world-writable (0666)
# so the platform can connect whatever the uid.
FROM gcr.io/distroless/static-debian12:nonroot AS function
COPY --from=build-function /out/func /func
USER 65532:65532
ENTRYPOINT ["/func"]
