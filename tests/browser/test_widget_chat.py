"""A logged-in user, an anonymous user who verifies by code, an English user, and a lost connection."""
import re

from playwright.sync_api import expect

from tests.browser.ui import PHONE, Chat, screenshot
from tests.helpers import LANGUAGE_CASES, latest_code, reason


def test_logged_in_user_gets_the_cause_explained_on_a_phone(new_page, backend_url):
    chat = Chat(new_page("/", viewport=PHONE, is_mobile=True, has_touch=True)).log_in("13800000001").open()
    chat.say("为什么我开不了花呗")
    overdue = reason(backend_url, "CREDIT_OVERDUE_HISTORY", "zh")
    chat.expect_bot(overdue["explanation"])
    chat.expect_bot(overdue["title"])
    expect(chat.page.locator(".sw-typing")).to_be_hidden()
    screenshot(chat.page, "widget-diagnosis-phone")

    # the conversation survives a reload: same messages, in order
    shown = chat.page.locator(".sw-messages .sw-msg").all_inner_texts()
    chat.page.reload()
    chat.open()
    expect(chat.page.locator(".sw-messages .sw-msg")).to_have_count(len(shown))
    assert chat.page.locator(".sw-messages .sw-msg").all_inner_texts() == shown


def test_anonymous_user_verifies_by_code_with_the_keyboard(new_page, backend_url):
    chat = Chat(new_page("/"))
    expect(chat.page.get_by_test_id("login-state")).to_contain_text("未登录")
    chat.page.keyboard.press("Tab")  # reach the launcher by keyboard only
    launcher = chat.page.locator(".sw-launcher")
    while not launcher.evaluate("el => el === document.activeElement"):
        chat.page.keyboard.press("Tab")
    chat.page.keyboard.press("Enter")
    expect(chat.input).to_be_focused()
    chat.say("我登录不了")
    chat.expect_bot("手机号")
    chat.say("13800000004")
    chat.expect_bot("验证码")
    chat.say(latest_code(backend_url, "13800000004"))
    chat.expect_bot("验证成功")
    chat.expect_bot(reason(backend_url, "LOCATION_MISMATCH", "zh")["title"])
    screenshot(chat.page, "widget-verified-by-code")
    chat.page.keyboard.press("Escape")
    expect(chat.panel).to_be_hidden()
    expect(launcher).to_be_focused()


def test_english_user_gets_english_ui_text(new_page):
    chat = Chat(new_page("/")).log_in("13800000010").open()
    expect(chat.input).to_have_attribute("placeholder", "Type your question…")
    chat.say("Why can't I log in?")
    expect(chat.messages("bot").last).to_have_text(re.compile(r"[A-Za-z]"))
    expect(chat.page.locator(".sw-send")).to_have_text("Send")


def test_the_widget_and_the_bot_tell_a_language_alike(new_page):
    """The widget switches its own texts by languageOf; the bot its replies by
    components/language.py: both give the same answer for every typed case of the unit
    tests (intents and backend events, "/affirm" or "EXTERNAL: ...", never reach the page)."""
    typed = [(text, language) for text, language in LANGUAGE_CASES if not text.startswith(("/", "EXTERNAL: "))]
    page = new_page("/")
    widget = page.evaluate("cases => cases.map(text => Common.languageOf(text))", [text for text, _ in typed])
    assert widget == [language for _, language in typed]


def test_pinyin_keeps_the_widget_in_chinese(new_page):
    chat = Chat(new_page("/", locale="en-US")).log_in("13800000001").open()
    chat.say("花呗为什么用不了")
    expect(chat.page.locator(".sw-send")).to_have_text("发送")
    chat.say("xiexie")
    expect(chat.messages("bot").nth(-1)).to_have_text(re.compile(r"[\u4e00-\u9fff]"))
    expect(chat.page.locator(".sw-send")).to_have_text("发送")


def test_cannot_reach_the_server_then_retry(new_page):
    """The socket.io websocket is refused until the user presses retry."""
    page = new_page("about:blank")
    refused = {"on": True}

    def route(ws):
        if refused["on"]:
            ws.close()
        else:
            ws.connect_to_server()

    page.route_web_socket(re.compile(r"/socket\.io/"), route)
    page.goto("/")
    chat = Chat(page)
    page.locator(".sw-launcher").click()
    banner = page.locator(".sw-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("无法连接")
    expect(page.locator(".sw-send")).to_be_disabled()
    screenshot(page, "widget-offline")
    refused["on"] = False
    banner.get_by_role("button").click()
    expect(banner).to_be_hidden()
    chat.open().say("你好")
    expect(chat.messages("bot").last).to_be_visible()
