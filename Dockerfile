# syntax=docker/dockerfile:1
# One multi-stage build for every service: `docker build --build-arg SERVICE=profiles .`
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY libs ./libs
COPY services ./services
COPY examples ./examples
RUN npm ci --no-audit --no-fund
ARG SERVICE
RUN npx turbo run build --filter=@lm/${SERVICE}-service...
# Production dependencies only, for the runtime stage.
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/libs ./libs
COPY --from=build /app/services/${SERVICE}/package.json ./services/${SERVICE}/package.json
COPY --from=build /app/services/${SERVICE}/dist ./services/${SERVICE}/dist
USER node
CMD ["sh", "-c", "exec node services/${SERVICE}/dist/main.js"]
