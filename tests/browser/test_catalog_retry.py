"""Staff pages opened while the backend's catalog does not answer (a restart, a blip) show
codes at first and the reason and product names once it answers again, without a reload."""
from playwright.sync_api import expect

from tests.browser.ui import AGENT, REVIEWER, Chat, Console
from tests.helpers import reason

CATALOG = "**/api/v1/reasons*"


def test_agent_queue_gets_reason_names_once_the_catalog_answers(new_page, backend_url):
    chat = Chat(new_page("/")).log_in("13800000008").open()
    chat.say("为什么我开不了花呗")
    title = reason(backend_url, "REGULATORY_RESTRICTION", "zh")["title"]
    chat.expect_bot(title)
    chat.say("转人工")
    chat.expect_bot("人工客服")

    page = new_page("/console")
    page.route(CATALOG, lambda route: route.abort())
    page.reload()  # the page loaded the catalog when it opened
    console = Console(page).log_in(*AGENT)
    ticket = console.ticket("吴十")
    expect(ticket).to_contain_text("REGULATORY_RESTRICTION")

    page.unroute(CATALOG)
    expect(ticket).to_contain_text(title)  # the next queue poll loaded the names
    expect(ticket).not_to_contain_text("REGULATORY_RESTRICTION")

    ticket.click()  # close the ticket: the other tests' queues start empty of it
    console.press("claim-button")
    console.press("handback-button")
    expect(page.locator("#ticket-notice")).to_have_text("已交还智能助手，工单已关闭。")


def test_review_filters_get_reasons_once_the_catalog_answers(new_page, backend_url):
    page = new_page("/console")
    page.route(CATALOG, lambda route: route.abort())
    page.reload()
    Console(page).log_in(*REVIEWER, name="小陈")
    reasons = page.locator("#review-reason option")
    expect(reasons).to_have_count(1)  # only "any"

    page.unroute(CATALOG)
    title = reason(backend_url, "UNSTABLE_EMPLOYMENT", "zh")["title"]
    expect(reasons.filter(has_text=title)).to_have_count(1, timeout=15000)
    expect(page.locator("#review-product option").filter(has_text="借呗")).to_have_count(1)
