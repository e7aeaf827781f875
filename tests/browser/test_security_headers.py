"""The pages work under their Content-Security-Policy, and the widget never turns a message
into a link (an agent's message least of all)."""
from playwright.sync_api import Page, expect

from tests.browser.ui import AGENT, Chat, Console
from tests.helpers import http_json

# Records every policy violation from the first script of the page on.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""
PHISHING = "请先 [重新验证身份](https://evil.example/login) 再继续，或打开 https://evil.example/pay"


def watched_page(new_page, path: str) -> Page:
    page = new_page("about:blank")
    page.add_init_script(WATCH_VIOLATIONS)
    response = page.goto(path)
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert "unsafe-eval" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    return page


def violations(page: Page) -> list:
    return page.evaluate("window.__violations")


def test_app_page_and_console_run_under_their_policy(new_page):
    chat = Chat(watched_page(new_page, "/")).log_in("13800000001").open()
    chat.say("为什么我开不了花呗")
    chat.expect_bot("逾期")
    assert violations(chat.page) == []

    console = Console(watched_page(new_page, "/console")).log_in(*AGENT)
    expect(console.page.locator("#queue-title")).to_be_visible()
    assert violations(console.page) == []


def test_an_agents_link_is_shown_as_plain_text(new_page, backend_url):
    chat = Chat(new_page("/")).log_in("13800000007").open()
    chat.say("转人工")
    chat.expect_bot("人工客服")
    conversation = chat.page.evaluate("JSON.parse(localStorage.getItem('support.widget.v1')).sessionId")

    api = f"{backend_url}/api/v1"
    token = http_json("POST", f"{api}/agent/login", {"username": AGENT[0], "password": AGENT[1]})["token"]
    auth = {"Authorization": f"Bearer {token}"}
    ticket = next(t for t in http_json("GET", f"{api}/agent/handoffs", headers=auth)
                  if t["conversation_id"] == conversation)
    http_json("POST", f"{api}/agent/handoffs/{ticket['id']}/claim", headers=auth)
    http_json("POST", f"{api}/agent/handoffs/{ticket['id']}/messages", {"text": PHISHING}, headers=auth)

    message = chat.messages("agent").last
    expect(message.locator(".sw-text")).to_have_text(PHISHING)
    expect(chat.page.locator(".sw-messages a")).to_have_count(0)
