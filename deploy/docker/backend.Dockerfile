# The account backend (FastAPI): the servers and the prestart step (python -m app.prestart).
# Build from the repository root: docker build -f deploy/docker/backend.Dockerfile -t credit-support/backend .

# The web pages' browser libraries (socket.io client, Chart.js), at web/package-lock.json's versions
FROM node:20-bookworm-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app/backend
COPY backend/requirements.txt ./
RUN pip install -r requirements.txt
COPY backend/alembic.ini ./
COPY backend/alembic ./alembic
COPY backend/app ./app
# app/api/routes/web.py serves ../web (the repository layout), with its node_modules
COPY web /app/web
COPY --from=web /web/node_modules /app/web/node_modules
# Uploads live under DATA_DIR: a volume shared by every backend replica is mounted at /data/uploads;
# created here so that a new volume starts owned by the backend's user.
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin backend \
    && mkdir -p /data/uploads && chown -R backend /data && chmod 700 /data /data/uploads
USER 10001
ENV DATA_DIR=/data
EXPOSE 8000
# Behind the balancer: client addresses from X-Forwarded-For, trusted from FORWARDED_ALLOW_IPS.
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]
