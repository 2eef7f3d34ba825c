# syntax=docker/dockerfile:1
# Crowdservice: the compiled app (dist/) on Node 20, run as the unprivileged "node" user, with
# DATA_DIR (the SQLite database, uploads, the email outbox) on a volume. See README
# "Running in containers / behind a proxy". Not built on the machine this was written on (no
# Docker daemon there): read it before you rely on it.

# Build: install every dependency (typescript and tsx compile src/ to dist/ through the
# "prepare" script of `npm ci`), then drop the development dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 and sharp download prebuilt binaries; these compile them where none fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm ci && npm prune --omit=dev

# Run: only package.json, the production node_modules and dist/, owned by root and read-only
# for the app's user; the one writable place is the data volume.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    SEED_DEMO=false
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# Liveness only; a load balancer should ask /readyz (database, migrations, job queue).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# As `npm run start:postgres`: node's default heap, which suits PostgreSQL (see README, Speed).
CMD ["node", "dist/app/server.js"]
