# syntax=docker/dockerfile:1
#
# hush as a container: a static binary on distroless, non-root, no shell.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t hush .
#   docker run -p 127.0.0.1:8080:8080 -v hush-home:/var/lib/hush hush
#
# deploy/deploy_test.go builds cmd/hush with the exact flags of the "go build"
# line below (it parses them from this file) and checks that the result is
# static and runs, because no Docker engine exists where the tests run. Keep
# that line one command.

ARG GO_VERSION=1.26

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=devel
ARG TARGETOS
ARG TARGETARCH
# CGO_ENABLED=0: distroless/static has no libc. -trimpath: no build paths in
# the binary. -buildvcs=false: .git is not in the build context.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -buildvcs=false -ldflags="-s -w -X main.Version=${VERSION}" -o /out/hush ./cmd/hush
# HUSH_HOME must exist in the image, owned by the nonroot user, so that a new
# volume mounted there starts with that owner and mode.
RUN mkdir -p /out/home && chmod 0700 /out/home

FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=devel
ARG REVISION=unknown
LABEL org.opencontainers.image.title="hush" \
      org.opencontainers.image.description="HTTPS proxy that keeps secrets out of what AI coding agents send to model APIs" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="https://github.com/hushproxy/hush" \
      org.opencontainers.image.documentation="https://github.com/hushproxy/hush/blob/main/deploy/README.md" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.vendor="The hush Authors"
COPY --from=build /out/hush /usr/local/bin/hush
COPY --from=build --chown=65532:65532 /out/home /var/lib/hush
# HUSH_HOME holds the CA, its key and the placeholder key. Keep it on a
# volume: a new CA on every start would have to be trusted again by every
# client. Kubernetes mounts the keys from a Secret instead (deploy/kubernetes).
ENV HUSH_HOME=/var/lib/hush
VOLUME ["/var/lib/hush"]
# 8080: the proxy (HTTPS_PROXY and base-URL mode). 8081: admin (/healthz,
# /readyz, /metrics).
EXPOSE 8080 8081
# 65532 is distroless' "nonroot"; numeric so that runAsNonRoot can verify it.
USER 65532:65532
# "hush health" GETs /healthz on $HUSH_ADMIN, default 127.0.0.1:8081: set
# HUSH_ADMIN when you move --admin. Exec form, as there is no shell.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/hush", "health"]
ENTRYPOINT ["/usr/local/bin/hush"]
# Listening beyond loopback needs proxy authentication (auth.htpasswd in
# config.yaml): hush refuses to start an open proxy. Put config.yaml in
# HUSH_HOME or pass --config; see deploy/README.md.
CMD ["serve", "--listen", "0.0.0.0:8080", "--admin", "0.0.0.0:8081"]
