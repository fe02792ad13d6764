# One image per service: docker build --build-arg SERVICE=ingest -t meridian/ingest .
# Production runs on Node 22 LTS.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs/events/package.json libs/events/package.json
COPY libs/shared/package.json libs/shared/package.json
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build --output-style=static && npm prune --omit=dev

FROM node:22-bookworm-slim
ARG SERVICE
# The V8 heap is capped well inside the pods' 512Mi limit (k8s/base): V8 otherwise grows
# its old space lazily towards a limit sized for the host, not the container. Benchmarks
# run the services with the same options (tools/bench reads them from here).
ENV NODE_ENV=production SERVICE=${SERVICE} NODE_OPTIONS="--max-old-space-size=192"
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/libs/events/package.json /app/libs/events/package.json
COPY --from=build /app/libs/events/dist /app/libs/events/dist
COPY --from=build /app/libs/events/kafka /app/libs/events/kafka
COPY --from=build /app/libs/shared/package.json /app/libs/shared/package.json
COPY --from=build /app/libs/shared/dist /app/libs/shared/dist
COPY --from=build /app/dist/apps/${SERVICE} /app/dist/apps/${SERVICE}
USER node
EXPOSE 3000
CMD ["sh", "-c", "exec node dist/apps/${SERVICE}/main.js"]
