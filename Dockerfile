# devicegraph's container image. The build stage has the whole toolchain (npm run build: src/ →
# dist/); the runtime stage has Node, the runtime dependencies (npm ci --omit=dev) and dist/ only —
# no simulators' dependencies, no TypeScript, no codegen. test/production.test.ts reproduces these
# steps without a container engine.
#   docker build -t devicegraph .
#   docker run --rm -p 4000:4000 --env-file devicegraph.env devicegraph
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The node image's unprivileged user; nothing under /app is writable by it.
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1's only process and gets SIGTERM itself (devicegraph drains on it).
CMD ["node", "dist/server.js"]
