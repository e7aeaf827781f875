"""Satisfaction and figures through the real pages: a user rates at goodbye (once, also after a
reload), another is not understood, and the staff pages show exactly these conversations."""
import json
import urllib.error
import urllib.request
from datetime import datetime, timezone

from playwright.sync_api import expect

from tests.browser.test_security_headers import violations, watched_page
from tests.browser.ui import AGENT, OPERATIONS, REVIEWER, Chat, Console, assert_accessible, screenshot
from tests.helpers import http_json, reason

# not understood by construction (punctuation alone is nlu_fallback: components/contentless.py),
# not by whatever DIET makes of some words ("this and that" became a "no" once refusals were added)
UNCLEAR = "？？？"


def staff_figures(backend_url: str, token: str, path: str = "figures") -> dict:
    today = datetime.now(timezone.utc).date().isoformat()
    return http_json("GET", f"{backend_url}/api/v1/staff/{path}?from={today}&to={today}",
                     headers={"Authorization": f"Bearer {token}"})


def staff_token(backend_url: str) -> str:
    return http_json("POST", f"{backend_url}/api/v1/agent/login", {"username": AGENT[0], "password": AGENT[1]})["token"]


def rate_again(backend_url: str, conversation: dict) -> tuple:
    """What a second tap (or a replayed request) gets: the widget's own id and secret, score 1."""
    body = json.dumps({"conversation_id": conversation["sessionId"], "session_secret": conversation["sessionSecret"],
                       "score": 1}).encode()
    request = urllib.request.Request(f"{backend_url}/api/v1/ratings?lang=en", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    return 201, None


def test_rating_at_goodbye_and_the_figures_of_the_conversations(new_page, backend_url):
    token = staff_token(backend_url)
    before = staff_figures(backend_url, token)
    unknown_before = staff_figures(backend_url, token, "unknown-messages")

    # Zhang San learns the cause, says goodbye, and rates 4 with one tap
    chat = Chat(watched_page(new_page, "/")).log_in("13800000001").open()
    chat.say("为什么我开不了花呗")
    overdue_title = reason(backend_url, "CREDIT_OVERDUE_HISTORY", "zh")["title"]
    chat.expect_bot(overdue_title)
    chat.say("再见")
    chat.expect_bot("再见")
    rating = chat.page.get_by_test_id("rating")
    expect(rating).to_contain_text("您对这次服务满意吗？")
    screenshot(chat.page, "widget-rating")
    rating.get_by_role("button", name="4 分（满意）").click()
    expect(rating).to_have_text("谢谢您的评价！")
    conversation = chat.page.evaluate("() => JSON.parse(localStorage.getItem('support.widget.v1'))")
    assert rate_again(backend_url, conversation) == (
        409, {"code": "already_rated", "message": "This conversation has already been rated. Thank you!"})
    chat.page.reload()
    chat.open()
    expect(chat.messages("bot").filter(has_text="再见")).to_have_count(1)
    expect(chat.page.get_by_test_id("rating")).to_have_count(0)  # rated: not offered again
    assert violations(chat.page) == []

    # an English user the bot does not understand, who leaves without rating
    other = Chat(new_page("/", locale="en-US")).open()
    other.say(UNCLEAR)
    other.say("bye")
    expect(other.page.get_by_test_id("rating")).to_contain_text("How satisfied are you")

    console = Console(watched_page(new_page, "/console")).log_in(*AGENT)
    console.page.get_by_role("link", name="数据 · Figures").click()
    page = console.page
    expect(page).to_have_url(f"{backend_url}/console/figures")
    after = staff_figures(backend_url, token)
    conversations = after["conversations"]
    assert conversations["total"] == before["conversations"]["total"] + 2
    assert conversations["handed_off"] == before["conversations"]["handed_off"]
    assert after["satisfaction"]["count"] == before["satisfaction"]["count"] + 1
    assert after["satisfaction"]["scores"]["4"] == before["satisfaction"]["scores"]["4"] + 1
    assert after["fallback"]["user_messages"] == before["fallback"]["user_messages"] + 4
    assert after["fallback"]["not_understood"] == before["fallback"]["not_understood"] + 1
    overdue = {c["reason_code"]: c["conversations"] for c in after["causes"]}["CREDIT_OVERDUE_HISTORY"]
    overdue_before = {c["reason_code"]: c["conversations"] for c in before["causes"]}.get("CREDIT_OVERDUE_HISTORY", 0)
    assert overdue == overdue_before + 1

    # the page shows these numbers
    expect(page.get_by_test_id("figure-conversations")).to_contain_text(str(conversations["total"]))
    share = f"{conversations['containment'] * 100:.1f}%"
    expect(page.get_by_test_id("figure-containment")).to_contain_text(
        f"{share} ({conversations['contained']} / {conversations['total']})")
    satisfaction = after["satisfaction"]
    expect(page.get_by_test_id("figure-satisfaction")).to_contain_text(f"{satisfaction['average']:g} 分（{satisfaction['count']} 个评价）")
    fallback = after["fallback"]
    expect(page.get_by_test_id("figure-fallback")).to_contain_text(f"（{fallback['not_understood']} / {fallback['user_messages']} 条消息）")
    today = datetime.now(timezone.utc).date().isoformat()
    expect(page.get_by_test_id("per-day").locator("tr", has_text=today)).to_contain_text(str(conversations["per_day"][-1]["count"]))
    expect(page.get_by_test_id("causes").locator("tr", has_text=overdue_title)).to_contain_text(str(overdue))
    expect(page.get_by_test_id("ratings").locator("tbody tr").nth(3)).to_have_text(f"4{satisfaction['scores']['4']}")
    expect(page.locator("#per-day-chart")).to_have_attribute("aria-label", f"每日对话数柱状图，共 {conversations['total']} 个对话，数据见下表")
    screenshot(page, "console-figures")
    assert violations(page) == []

    # the message not understood, counted, and exported for labelling
    page.get_by_role("link", name="未理解的消息").click()
    expect(page).to_have_url(f"{backend_url}/console/unknown")
    unknown = staff_figures(backend_url, token, "unknown-messages")
    assert unknown["messages"] == unknown_before["messages"] + 1
    row = page.get_by_test_id("unknown-groups").locator("tr", has_text=UNCLEAR)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("1")
    with page.expect_download() as download:
        page.get_by_role("button", name="导出为 Rasa NLU YAML").click()
    exported = open(download.value.path(), encoding="utf-8").read()
    assert 'version: "3.1"' in exported and f"    - {UNCLEAR}\n" in exported
    screenshot(page, "console-unknown-messages")
    assert violations(page) == []


def test_reviewer_and_operations_see_the_figures_too(new_page, backend_url):
    for (username, password), name in ((REVIEWER, "小陈"), (OPERATIONS, "小周")):
        page = new_page("/console")
        Console(page).log_in(username, password, name)
        page.get_by_role("link", name="数据 · Figures").click()
        expect(page.get_by_test_id("agent-name")).to_have_text(name)
        expect(page.get_by_test_id("figure-conversations")).to_contain_text("对话")
        page.get_by_role("link", name="未理解的消息").click()
        expect(page.get_by_test_id("unknown-total")).to_contain_text("共")
        assert_accessible(page, f"not-understood messages as {username}")
