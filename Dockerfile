# keyref GitHub App. Build: docker build -t keyref .
# Run: docker run -p 3000:3000 -e APP_ID=… -e WEBHOOK_SECRET=… -e PRIVATE_KEY_PATH=/secrets/private-key.pem \
#        -v $PWD/private-key.pem:/secrets/private-key.pem:ro keyref
# Configured only through environment variables (see .env.example and the README's Self-hosting section).
# test/deploy/production-install.test.ts reproduces the runtime stage's install and start-up (no Docker engine in CI).
ARG NODE_VERSION=22

# ---- build: all dependencies, compile TypeScript to dist/
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies only, non-root
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY app.yml ./
USER node
EXPOSE 3000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Probot's `run` with /healthz, /readyz, proxy support and graceful SIGTERM (src/app/runtime/main.ts).
CMD ["node", "dist/app/runtime/main.js"]
