# syntax=docker/dockerfile:1
#
# amfit as a container image: the one binary (migrations, templates, the stylesheet and the
# rubric are compiled into it) on a distroless base that has glibc and libgcc_s and no shell.
#
#   docker build -t amfit .
#   docker run -d --name amfit -p 3000:3000 -v amfit-data:/data --stop-timeout 40 amfit
#   echo 'a long secret passphrase' | docker exec -i amfit amfit user add --email ada@example.com --name "Ada Admin" --role admin
#
# SQLite by default, in the volume /data. For PostgreSQL, several instances and https in front,
# see compose.yaml. amfit migrates the database when it starts.

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-bookworm AS builder
WORKDIR /build
# Only what the build reads (.dockerignore keeps everything else out of the context): the
# manifest, the build script, the code, and the files it compiles in. benches/ is there because
# Cargo.toml names its benchmarks, and cargo refuses a manifest whose targets are missing.
COPY Cargo.toml Cargo.lock build.rs ./
COPY migrations ./migrations
COPY rubrics ./rubrics
COPY templates ./templates
COPY static ./static
COPY benches ./benches
COPY src ./src
# The downloaded crates and the target folder live in BuildKit caches: a change to the code
# rebuilds amfit, not its hundreds of dependencies. The binary is copied out of the cached target/,
# which is not part of the image.
RUN --mount=type=cache,id=amfit-cargo-registry,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,id=amfit-cargo-git,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,id=amfit-target,target=/build/target,sharing=locked \
    cargo build --release --locked --bin amfit \
 && install -D -m 0755 target/release/amfit /out/amfit \
 && install -d -m 0700 /out/data

# cc-debian12: Debian 12's glibc and libgcc_s, as the builder links against, CA certificates and
# time zone data; no shell, no package manager. :nonroot runs as uid 65532 by default.
FROM gcr.io/distroless/cc-debian12:nonroot

ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="amfit" \
      org.opencontainers.image.description="Hire account managers with role profiles, anchored rubrics and fair job ads" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="gcr.io/distroless/cc-debian12:nonroot"

COPY --from=builder /out/amfit /usr/local/bin/amfit
# The data folder belongs to the user amfit runs as, readable by it alone (amfit keeps umask 077:
# the database holds candidates' personal data). A new named volume takes this owner and mode.
COPY --from=builder --chown=65532:65532 /out/data /data

# The README's settings; every one can be overridden with -e. AMFIT_BIND listens on every
# interface of the container; `amfit healthcheck` asks 127.0.0.1 on that port.
ENV DATABASE_URL=sqlite:/data/amfit.db \
    AMFIT_BIND=0.0.0.0:3000 \
    AMFIT_LOG_FORMAT=json

# Relative paths (`docker exec amfit amfit backup today.db`, a ./rubrics folder) are in the volume.
WORKDIR /data
VOLUME ["/data"]
USER 65532:65532
EXPOSE 3000

# amfit finishes the requests in flight on SIGTERM for --shutdown-seconds (30 by default): give
# `docker stop` more than that (--stop-timeout 40, or stop_grace_period in compose.yaml).
STOPSIGNAL SIGTERM
# Ready = /readyz answers 200: the database takes writes. /readyz itself may take up to 6 s.
HEALTHCHECK --interval=30s --timeout=15s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/amfit", "healthcheck"]

ENTRYPOINT ["/usr/local/bin/amfit"]
CMD ["serve"]
