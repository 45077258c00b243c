# syntax=docker/dockerfile:1
# One image for the four processes: the command picks the app (see docker-compose.yml and k8s/base).
#   gateway   node dist/apps/gateway/src/main.js    (port 8080)
#   kv-entry  node dist/apps/kv-entry/src/main.js   (port 8081)
#   secrets   node dist/apps/secrets/src/main.js    (port 8082)
#   audit     node dist/apps/audit/src/main.js      (port 8083)
#   migrations, one-shot:  node dist/scripts/db-setup.js <kv-entry|secrets|audit>

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm ci` rejects this lock file (it lacks other platforms' optional bindings); see scripts/install.sh.
RUN npm install --no-save --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
RUN bash scripts/build.sh

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-save --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# Heap sized for the 512 Mi container limit; the local platform uses the same (scripts/platform/services.ts).
ENV NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=32"
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Numeric user (the image's `node`): Kubernetes can only check runAsNonRoot against a numeric UID.
USER 1000:1000
CMD ["node", "dist/apps/gateway/src/main.js"]
