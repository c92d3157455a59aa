# syntax=docker/dockerfile:1
# Tollgate in a container: a Rust build stage, then a small Debian runtime that runs as a non-root
# user with its data (the SQLite database and its master key file) in the volume /var/lib/tollgate.
#
#   docker build -t tollgate .
#   docker run --rm -p 8080:8080 -v tollgate-data:/var/lib/tollgate \
#     -e TOLLGATE_PUBLIC_URL=http://localhost:8080 tollgate

FROM rust:1.95-trixie AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY crates crates
COPY examples examples
# libxmlsec1 signs SAML responses; its Rust bindings are generated with libclang at build time.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libxmlsec1-dev libclang-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p tollgate \
    && cp target/release/tollgate /usr/local/bin/tollgate

FROM debian:trixie-slim
# curl for the health check; ca-certificates for `tollgate token` against https issuers; the
# OpenSSL engine of libxmlsec1 (with libxmlsec1 and libxml2) for SAML signatures, under its name
# before or after Debian's 64-bit time_t renaming. Versions are Debian's current ones for the
# release (pinning them breaks the build when the archive moves).
# hadolint ignore=DL3008
RUN apt-get update \
    && xmlsec=$(apt-cache search --names-only '^libxmlsec1(t64)?-openssl$' | cut -d' ' -f1 | head -n1) \
    && apt-get install -y --no-install-recommends ca-certificates curl "$xmlsec" \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/tollgate --shell /usr/sbin/nologin tollgate \
    && install -d -o tollgate -g tollgate -m 0700 /var/lib/tollgate
COPY --from=build /usr/local/bin/tollgate /usr/local/bin/tollgate

# Inside the container the server listens on every interface; the issuer is TOLLGATE_PUBLIC_URL
# (default http://127.0.0.1:8080, with a warning): set it to the URL clients use. The working
# directory holds the default databases (tollgate.db, and tollgate-demo.db for `serve --demo`)
# with their key files.
ENV TOLLGATE_LISTEN=0.0.0.0:8080
WORKDIR /var/lib/tollgate
VOLUME ["/var/lib/tollgate"]
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["tollgate"]
CMD ["serve"]
