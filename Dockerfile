# syntax=docker/dockerfile:1
#
# abuse-radar processor image: `docker build -t abuse-radar .`
#
#   build      npm ci (everything), then `npm run build` (src -> dist)
#   prod-deps  npm ci --omit=dev --omit=optional: production dependencies only. The embedded engine
#              (chdb, an optionalDependency of ~550 MB) is left out: the image talks to a ClickHouse
#              server (CLICKHOUSE_URL). Started without one, it exits with "the embedded engine (npm
#              package chdb) is not installed"; src/sinks/clickhouse/client.ts imports chdb only then.
#   runtime    Node LTS slim + tini + dist/ + production node_modules + bin/ + config/, as uid 1000.
#
# Checked without a Docker engine by test/unit/deploy/docker.test.ts (syntax and the rules above).

# A supported Node.js LTS line (24: LTS until April 2028). Pin a digest in production:
#   docker build --build-arg NODE_IMAGE=node:24-bookworm-slim@sha256:... .
ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Optional dependencies included here only because tsc reads chdb's type declarations; nothing of
# this stage but dist/ reaches the runtime image.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1: forwards SIGTERM/SIGINT to node (whose handler stops fetching, writes, commits and
# disconnects) and reaps zombies; node itself is then not PID 1.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    ABUSE_RADAR__OBSERVABILITY__HTTP_HOST=0.0.0.0
WORKDIR /app
# Owned by root and not writable by the runtime user: the process cannot change its own code.
COPY package.json ./
COPY bin ./bin
COPY config ./config
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The node image's unprivileged user, numeric so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
# /metrics, /livez, /readyz (observability.http_port).
EXPOSE 9464
# For `docker run` and Compose; Kubernetes ignores it and uses the Deployment's probes (k8s/base).
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:9464/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--enable-source-maps", "/app/bin/abuse-radar.js"]
CMD ["run"]
