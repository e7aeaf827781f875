"""Every page passes axe-core's WCAG 2 A/AA rules with 0 violations, in the states a person sees:
the app page with the widget open (bot and user messages, quick replies, the rating), the
console's login and workspace, the figures page and the not-understood messages."""
from playwright.sync_api import expect

from tests.browser.ui import AGENT, PHONE, Chat, Console, assert_accessible, screenshot


def test_app_page_with_the_widget_open(new_page):
    page = new_page("/")
    assert_accessible(page, "app page")
    chat = Chat(page).log_in("13800000001").open()
    assert_accessible(page, "app page, widget open")
    chat.say("为什么我开不了花呗")
    chat.say("再见")
    expect(page.get_by_test_id("rating")).to_be_visible()
    assert_accessible(page, "app page, widget with answers and the rating")
    screenshot(page, "app-widget-accessible")


def test_app_page_on_a_phone_in_english(new_page):
    page = new_page("/", locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True)
    chat = Chat(page).open()
    chat.say("I can't log in")
    assert_accessible(page, "app page on a phone, widget open, English")


def test_console_login_and_workspace(new_page):
    page = new_page("/console")
    assert_accessible(page, "console login")
    Console(page).log_in(*AGENT)
    expect(page.locator("#queue-title")).to_be_visible()
    assert_accessible(page, "console workspace")
    screenshot(page, "console-workspace")


def test_figures_and_not_understood_pages_in_both_languages(new_page):
    page = new_page("/console")
    Console(page).log_in(*AGENT)
    for path, ready, name in (
        ("/console/figures", "figure-conversations", "console-figures-accessible"),
        ("/console/unknown", "unknown-total", "console-unknown-accessible"),
    ):
        page.goto(path)
        expect(page.get_by_test_id(ready)).not_to_be_empty()
        assert_accessible(page, path)
        page.locator("#lang-button").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_test_id(ready)).not_to_be_empty()
        assert_accessible(page, f"{path} in English")
        page.locator("#lang-button").click()
        screenshot(page, name)


def test_staff_pages_without_login_point_to_it(new_page):
    for path in ("/console/figures", "/console/unknown"):
        page = new_page(path)
        expect(page.get_by_role("link", name="去登录")).to_have_attribute("href", "/console")
        assert_accessible(page, f"{path} logged out")
