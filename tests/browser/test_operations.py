"""Operations closes the Jiebei outage in the console: 钱七, who was told about it in the
widget, is told it ended, and the next question gets the new answer."""
from playwright.sync_api import expect

from tests.browser.test_review import demo_data_restored  # noqa: F401  (fixture: the outage back after)
from tests.browser.ui import AGENT, OPERATIONS, REVIEWER, Chat, Console, assert_accessible, screenshot

OUTAGE = "借呗风控系统升级维护"


def test_operations_closes_the_outage_and_the_bot_follows(new_page):
    chat = Chat(new_page("/")).log_in("13800000005").open()
    chat.say("借呗提示暂时无法使用本服务")
    chat.expect_bot(OUTAGE)

    console = Console(new_page("/console")).log_in(*OPERATIONS, name="小周")
    expect(console.page.locator("#workspace")).to_be_hidden()
    expect(console.page.locator("#review-page")).to_be_hidden()
    outage = console.page.get_by_test_id("incident-list").locator("li").filter(has_text=OUTAGE)
    expect(outage).to_contain_text("已向 1 个对话说明")
    screenshot(console.page, "console-operations")
    assert_accessible(console.page, "console, operations page")

    outage.get_by_role("button", name="结束故障").click()
    expect(console.page.get_by_test_id("operations-notice")).to_have_text("故障已结束，已通知 1 个对话。")
    expect(outage).to_contain_text("已结束")
    expect(chat.messages("bot").filter(has_text="借呗服务故障已经结束")).to_be_visible()

    mentions = chat.messages("bot").filter(has_text=OUTAGE)
    expect(mentions).to_have_count(2)  # the first answer and the notice that it ended
    chat.say("借呗提示暂时无法使用本服务")
    chat.expect_bot("没有发现异常")
    expect(mentions).to_have_count(2)  # the new answer no longer blames the outage
    screenshot(chat.page, "widget-outage-over")


def test_operations_announces_an_outage_and_the_bot_explains_it(new_page):
    console = Console(new_page("/console")).log_in(*OPERATIONS, name="小周")
    page = console.page
    page.locator("#incident-product").select_option("huabei")
    page.locator("#incident-service").fill("huabei-payments")
    page.locator("#incident-title-zh").fill("花呗支付通道维护，付款暂时无法完成")
    page.locator("#incident-title-en").fill("Huabei payment maintenance")
    page.locator("#incident-form button[type=submit]").click()
    expect(page.get_by_test_id("operations-notice")).to_have_text("已发布：花呗支付通道维护，付款暂时无法完成")

    chat = Chat(new_page("/")).log_in("13800000010").open()  # Emily uses Huabei
    chat.say("Huabei says service temporarily unavailable")
    chat.expect_bot("Huabei payment maintenance")

    item = page.get_by_test_id("incident-list").locator("li").filter(has_text="花呗支付通道维护")
    item.get_by_role("button", name="结束故障").click()
    expect(item).to_contain_text("已结束")


def test_each_role_sees_only_its_page(new_page):
    agent = Console(new_page("/console")).log_in(*AGENT)
    expect(agent.page.locator("#workspace")).to_be_visible()
    expect(agent.page.locator("#review-page")).to_be_hidden()
    expect(agent.page.locator("#operations-page")).to_be_hidden()
    reviewer = Console(new_page("/console")).log_in(*REVIEWER, name="小陈")
    expect(reviewer.page.locator("#review-page")).to_be_visible()
    expect(reviewer.page.locator("#operations-page")).to_be_hidden()
    screenshot(reviewer.page, "console-review-queue")
