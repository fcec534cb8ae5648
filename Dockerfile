# Tessera central as a container image (not built in this repository's CI; see docs/deploy-central.md).
# docker build -t tessera-central . && docker run --env-file central.env -p 8780:8780 tessera-central

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Dev dependencies are needed to bundle; Electron's binary is not.
RUN ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs cli

FROM node:20-bookworm-slim
# pg_dump/pg_restore for `tessera-central backup` and `restore`; match your PostgreSQL server's major version.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/tessera-central
COPY package.json package-lock.json ./
# Production dependencies only; native addons are built for this image's Node.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --omit=dev --no-audit --no-fund \
  && apt-get purge -y python3 make g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* /root/.npm
COPY --from=build /src/dist/cli ./dist/cli
USER node
ENV TESSERA_CENTRAL_ENV=production TESSERA_CENTRAL_HOST=0.0.0.0 TESSERA_CENTRAL_PORT=8780
EXPOSE 8780
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:8780/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/cli/tessera-central.mjs", "serve"]
