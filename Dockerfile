# Image of the OCI Function (func.go). Build: docker build -t <region>.ocir.io/<namespace>/ociai-proxy:<tag> .
# The stock Fn Go images are older than the Go 1.26 the OCI SDK needs, hence `runtime: docker` in func.yaml.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# CRYPTO=boring (default) links BoringCrypto: every OCI call is RSA-signed, and BoringSSL signs about 40 % faster
# than Go's own RSA (see BENCHMARKS.md, "Signing options"). CRYPTO=go builds the pure-Go binary instead.
ARG CRYPTO=boring
# A static, stripped binary either way: nothing to load at start-up, so the function is ready within milliseconds.
RUN if [ "$CRYPTO" = boring ]; then \
      CGO_ENABLED=1 GOEXPERIMENT=boringcrypto go build -trimpath -tags osusergo,netgo \
        -ldflags "-s -w -linkmode external -extldflags -static -X github.com/ociai/ociai-proxy/gateway.Version=${VERSION}" \
        -o /out/func . ; \
    else \
      CGO_ENABLED=0 go build -trimpath \
        -ldflags "-s -w -X github.com/ociai/ociai-proxy/gateway.Version=${VERSION}" \
        -o /out/func . ; \
    fi

# distroless/static: CA certificates and /tmp, no shell, runs as uid 65532.
# UNCONFIRMED: that OCI Functions accepts a non-root image user; the FDK makes its socket world-writable (0666)
# so the platform can connect whatever the uid.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/func /func
USER nonroot:nonroot
ENTRYPOINT ["/func"]
