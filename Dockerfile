# Passerelle: build with cargo-leptos, run the single binary as a non-root user.
#   docker build -t passerelle .
#   docker run -p 3000:3000 -e DATABASE_URL=… -e REDIS_URL=… -e PUBLIC_BASE_URL=https://… \
#              -e SESSION_KEY=… -e SMTP_URL=… passerelle

FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown \
 && cargo install cargo-leptos --version 0.3.10 --locked
WORKDIR /src
# wasm-bindgen-cli must match the wasm-bindgen pinned in Cargo.lock.
COPY Cargo.lock ./
RUN cargo install wasm-bindgen-cli --version \
      "$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')"
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Queries are checked against .sqlx/: no database needed to build.
ENV PATH=/src/node_modules/.bin:$PATH \
    SQLX_OFFLINE=true
RUN cargo leptos build --release --split --precompress

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin passerelle
WORKDIR /app
COPY --from=build /src/target/release/passerelle /src/target/release/hash.txt /app/
COPY --from=build /src/target/site /app/site
ENV PASSERELLE_ENV=production \
    LISTEN_ADDR=0.0.0.0:3000 \
    SITE_ROOT=/app/site \
    STORAGE_LOCAL_DIR=/app/data/uploads
RUN mkdir -p /app/data/uploads && chown -R passerelle: /app/data
USER passerelle
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:3000/healthz || exit 1
ENTRYPOINT ["/app/passerelle"]
CMD ["serve"]
