# meshdeploy as a container: `sync` is the entrypoint (a GitOps controller for MeshAgent rooms).
#   docker build -t meshdeploy .
#   docker run --rm -e MESHAGENT_API_KEY -p 9464:9464 meshdeploy \
#     --repo https://github.com/acme/deploy.git --ref main --listen 0.0.0.0:9464
# Runs as the unprivileged `node` user; the clone and state live in /work (.meshdeploy/ there).
FROM node:20-bookworm-slim AS compile
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build runs below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
COPY schemas ./schemas
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
# git clones the followed repository; ssh for git@ URLs; CA certificates for https.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/meshdeploy
COPY --from=compile /src/package.json ./
COPY --from=compile /src/node_modules ./node_modules
COPY --from=compile /src/dist ./dist
COPY --from=compile /src/schemas ./schemas
RUN mkdir /work && chown node:node /work
USER node
WORKDIR /work
ENV NODE_ENV=production
EXPOSE 9464
ENTRYPOINT ["node", "/opt/meshdeploy/dist/cli/main.js", "sync"]
CMD ["--help"]
