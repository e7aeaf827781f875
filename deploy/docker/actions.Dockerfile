# The action server (rasa-sdk): python -m actions.server.
# Build from the repository root: docker build -f deploy/docker/actions.Dockerfile -t credit-support/actions .
FROM python:3.10-slim-bookworm
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements/rasa.txt requirements/rasa.txt
# Only what the actions import, at the versions of the Rasa environment's pins (not all of Rasa:
# TensorFlow alone would add a gigabyte the action server never loads).
RUN pip install -c requirements/rasa.txt rasa-sdk requests
COPY actions actions
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin actions
USER 10001
# actions/server.py listens on loopback unless told otherwise; Rasa reaches it through the network.
ENV ACTIONS_HOST=0.0.0.0 ACTIONS_PORT=5055
EXPOSE 5055
CMD ["python", "-m", "actions.server"]
