# syntax=docker/dockerfile:1
#
# Footnote's image: a static binary on a minimal base, run as a non-root
# user. Build and run (docs/deploy.md says more):
#
#   docker build --build-arg VERSION=v1.0.0 -t footnote:1.0.0 .
#   docker run --rm footnote:1.0.0 version
#   docker run --rm -e DISCORD_PUBLIC_KEY=... -p 8080:8080 footnote:1.0.0 serve --http :8080

# --- build: the Go toolchain, the module's dependencies, the binary ------------
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
# Dependencies first, so that a change of source code reuses their layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# CGO_ENABLED=0: a static binary that needs no C library in the image.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/footnote ./cmd/footnote
# The working directory of the image, where the default SQLite store
# (footnote.db) goes: mount a volume there to keep it, or set DATABASE_URL.
RUN mkdir -p /out/state

# --- run: nothing but the binary, CA certificates and a non-root user ---------
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/footnote /footnote
COPY --from=build --chown=65532:65532 /out/state /state
WORKDIR /state
VOLUME /state
# uid 65532 ("nonroot"), as the Kubernetes example's runAsNonRoot expects.
USER 65532:65532
# The HTTP transport and the admin endpoints of docs/deploy.md.
EXPOSE 8080 9090
ENTRYPOINT ["/footnote"]
CMD ["serve"]
