# keyref GitHub App. Build: docker build -t keyref .
# Run: docker run -p 3000:3000 -e APP_ID=… -e WEBHOOK_SECRET=… -e PRIVATE_KEY_PATH=/secrets/private-key.pem \
#        -v $PWD/private-key.pem:/secrets/private-key.pem:ro keyref
# Configured only through environment variables (see .env.example and the README's Self-hosting section).
# Behind a TLS-inspecting proxy, pass its CA bundle as a build secret (used by npm ci, never stored in a layer):
#   docker build --secret id=ca,src=/etc/ssl/certs/ca-certificates.crt -t keyref .
# .ci/image-smoke.sh builds this file unmodified on a real engine, starts the image and probes it;
# test/deploy/production-install.test.ts reproduces the runtime stage's install and start-up without one.
ARG NODE_VERSION=24

# ---- build: all dependencies, compile TypeScript to dist/
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied.
RUN --mount=type=secret,id=ca,required=false \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi; \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-cli.mjs ./scripts/
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
RUN --mount=type=secret,id=ca,required=false \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi; \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
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
