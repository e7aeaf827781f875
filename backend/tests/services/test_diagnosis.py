"""The rule that decides which failed attempts still matter."""

from datetime import UTC, datetime, timedelta

from app.models import Attempt
from app.services.diagnosis import current_failures

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


def attempt(id, hours_ago, kind="login", success=False, reason="LOCATION_MISMATCH", product=None):
    return Attempt(
        id=id,
        kind=kind,
        occurred_at=NOW - timedelta(hours=hours_ago),
        success=success,
        reason_code=None if success else reason,
        product_code=product,
    )


def test_a_later_success_settles_earlier_failures_of_the_same_kind_only():
    attempts = [
        attempt(1, 30, reason="DEVICE_UNSUPPORTED"),
        attempt(2, 20, success=True),
        attempt(3, 10, reason="LOCATION_MISMATCH"),
        attempt(4, 5, kind="verification", reason="ID_INFO_MISMATCH"),
        attempt(5, 40, kind="service", reason="SERVICE_OUTAGE", product="jiebei"),
        attempt(6, 1, kind="service", success=True, product="huabei"),
    ]
    assert [a.id for a in current_failures(attempts)] == [4, 3, 5]


def test_no_attempts_no_failures():
    assert current_failures([]) == []
