# Image of the OCI Function (func.go). Build: docker build -t <region>.ocir.io/<namespace>/ociai-proxy:<tag> .
# The stock Fn Go images are older than the Go 1.26 the OCI SDK needs, hence `runtime: docker` in func.yaml.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# Static, stripped binary: nothing to load at start-up, so the function is ready within milliseconds.
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/ociai/ociai-proxy/gateway.Version=${VERSION}" \
      -o /out/func .

# distroless/static: CA certificates and /tmp, no shell, runs as uid 65532.
# UNCONFIRMED: that OCI Functions accepts a non-root image user; the FDK makes its socket world-writable (0666)
# so the platform can connect whatever the uid.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/func /func
USER nonroot:nonroot
ENTRYPOINT ["/func"]
