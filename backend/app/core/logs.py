"""Logging for the backend: INFO by default, and no credential ever written to a log.

httpx logs every request URL at INFO, and Rasa's API token travels in the URL (`?token=`);
such libraries are kept at WARNING, and every record, whichever logger or handler it goes
through, has `token=…`, `Bearer …` and X-Service-Token values masked when it is created.
"""

import logging
import re

MASK = "***"
SECRET_PATTERNS = (
    re.compile(r"(token=)[^&\s\"'<>]+", re.IGNORECASE),
    re.compile(r"(bearer\s+)[^\s\"'<>,]+", re.IGNORECASE),
    re.compile(r"(x-service-token[\"']?\s*[:=]\s*[\"']?)[^\s\"'<>,}]+", re.IGNORECASE),
)
QUIET_LOGGERS = ("httpx", "httpcore")


def mask_secrets(text: str) -> str:
    for pattern in SECRET_PATTERNS:
        text = pattern.sub(rf"\g<1>{MASK}", text)
    return text


class SecretMaskingFilter(logging.Filter):
    """Rewrites a record's message (arguments merged in) and traceback with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format is left for the handler to report
            return True
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_secrets(logging.Formatter().formatException(record.exc_info))
        return True


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    install_secret_masking()


def install_secret_masking() -> None:
    """Through the record factory, so records reaching any handler (uvicorn's own too) are masked."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_secrets", False):
        return
    masking = SecretMaskingFilter()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        masking.filter(record)
        return record

    factory.masks_secrets = True
    logging.setLogRecordFactory(factory)
