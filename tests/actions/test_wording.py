"""How the assistant writes the backend's dates and times for a reader."""
from actions.wording import format_time


def test_a_utc_timestamp_is_shown_in_beijing_time_and_says_so():
    # 19:55 UTC on 6 December is 03:55 on 7 December in Beijing
    assert format_time("2026-12-06T19:55:00+00:00", "zh") == "2026年12月07日 03:55（北京时间）"
    assert format_time("2026-12-06T19:55:00Z", "en") == "07 Dec 2026 03:55 (Beijing time)"


def test_a_timestamp_shown_as_a_date_is_the_date_in_beijing():
    assert format_time("2026-12-27T17:00:00+00:00", "zh", with_time=False) == "2026年12月28日"


def test_a_plain_date_stays_that_date():
    assert format_time("2026-12-28", "zh", with_time=False) == "2026年12月28日"
    assert format_time("2026-12-28", "en", with_time=False) == "28 Dec 2026"
    assert format_time(None, "en") == ""
