# The Rasa server with the trained model, for the cluster (deploy/endpoints.cluster.yml).
# Train first (bash scripts/train.sh writes models/ and names the model in models/current), then
# build from the repository root: docker build -f deploy/docker/rasa.Dockerfile -t credit-support/rasa .

# Picks the model named in models/current, so that older models never reach the image.
FROM python:3.10-slim-bookworm AS model
COPY models /models
RUN test -s /models/current || { echo "models/current is missing: run bash scripts/train.sh" >&2; exit 1; } \
    && cp "/models/$(cat /models/current)" /model.tar.gz

FROM python:3.10-slim-bookworm
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
WORKDIR /app
COPY requirements/rasa.txt requirements/rasa.txt
RUN pip install -r requirements/rasa.txt
# The model's own components (tokenizer and its dictionary, policies, tracker and lock stores)
# and the channels of credentials.yml are imported from /app.
COPY components components
COPY channels channels
COPY credentials.yml ./
COPY scripts/rasa_server.py scripts/rasa_server.py
COPY deploy/endpoints.cluster.yml deploy/create_tracker_table.py deploy/
COPY --from=model /model.tar.gz models/model.tar.gz
RUN useradd --uid 10001 --create-home --shell /usr/sbin/nologin rasa
USER 10001
ENV PYTHONPATH=/app
EXPOSE 5005
# scripts/rasa_server.py passes RASA_API_TOKEN to Rasa off the command line. No --cors: behind the
# balancer the app page and Rasa share one origin (the widget's socket checks ALLOWED_ORIGINS).
CMD ["python", "scripts/rasa_server.py", "run", "--enable-api", "--interface", "0.0.0.0", "--port", "5005", \
     "--model", "models/model.tar.gz", "--endpoints", "deploy/endpoints.cluster.yml", \
     "--credentials", "credentials.yml"]
