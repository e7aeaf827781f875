"""A reviewer approves an appeal in the console while the customer's widget is open: the
customer sees the outcome in the widget (in the language they wrote in) and in the app page's
account status."""
import re
import subprocess

import pytest
from playwright.sync_api import expect

from scripts.stack import ROOT, VENV_DIR
from tests.browser.ui import REVIEWER, Chat, Console, assert_accessible, screenshot

APPEAL_NUMBER = re.compile(r"AP-\d{8}-\d{4}")


def refresh_demo_data(stack) -> None:
    """Puts the demo customers and the seeded outage back as seeded (`app.cli seed --refresh`),
    for the tests after these decisions, which share the stack."""
    subprocess.run([str(VENV_DIR / "backend" / "bin" / "python"), "-m", "app.cli", "seed", "--refresh"],
                   cwd=ROOT / "backend", env=stack.env, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module", autouse=True)
def demo_data_restored(stack):
    yield
    refresh_demo_data(stack)


def file_appeal(chat: Chat, request: str, statement: str, confirm: str) -> str:
    chat.say(request)
    chat.say(statement)
    chat.messages("bot").last.get_by_role("button", name=confirm).click()
    expect(chat.messages("user").last).to_have_text(confirm)
    filed = chat.messages("bot").filter(has_text=APPEAL_NUMBER).last
    expect(filed).to_be_visible()
    return APPEAL_NUMBER.search(filed.inner_text()).group(0)


def review_and_approve(console: Console, number: str, note: str, customer: str, statement: str) -> None:
    page = console.page
    page.locator(f"[data-appeal='{number}']").click()
    expect(page.get_by_test_id("appeal-customer")).to_contain_text(customer)
    expect(page.get_by_test_id("appeal-statement")).to_have_text(statement)
    page.get_by_label("通过", exact=True).check()
    page.locator("#decision-note").fill(note)
    page.locator("#decision-form button[type=submit]").click()
    expect(page.locator("#review-notice")).to_have_text("结论已提交。")
    expect(page.get_by_test_id("appeal-decision")).to_contain_text(note)


def test_reviewer_approves_li_sis_appeal_and_she_sees_it_in_the_widget(new_page):
    app = new_page("/")
    chat = Chat(app).log_in("13800000002").open()
    expect(app.get_by_test_id("account-status").locator("[data-product=jiebei]")).to_have_attribute("data-status", "refused")
    statement = "我在现在的公司已经工作一年多了，每月按时发工资，换工作是因为公司搬迁。"
    number = file_appeal(chat, "借呗被拒我要申诉", statement, "确认提交")
    expect(app.get_by_test_id("account-status").locator("[data-product=jiebei]")).to_have_attribute("data-status", "under_review")

    console = Console(new_page("/console")).log_in(*REVIEWER, name="小陈")
    expect(console.page.locator("#workspace")).to_be_hidden()  # no handoff queue for a reviewer
    queue = console.page.get_by_test_id("review-queue")
    expect(queue.locator(f"[data-appeal='{number}']")).to_contain_text("李四")
    console.page.locator("#review-status").select_option("submitted")
    console.page.locator("#review-product").select_option("jiebei")
    expect(queue.locator("[data-appeal]")).to_have_count(1)
    console.page.locator(f"[data-appeal='{number}']").click()
    expect(console.page.get_by_test_id("appeal-accounts")).to_contain_text("借呗：审核中")
    expect(console.page.get_by_test_id("appeal-reason")).to_contain_text("UNSTABLE_EMPLOYMENT")
    expect(console.page.get_by_test_id("appeal-timeline")).to_contain_text("已提交")
    screenshot(console.page, "console-review-appeal")
    assert_accessible(console.page, "console, reviewer's appeal page")

    review_and_approve(console, number, "在职证明与社保记录核实无误", "李四", statement)
    expect(chat.messages("bot").filter(has_text=f"您的申诉 {number} 已通过")).to_be_visible()
    expect(chat.messages("bot").filter(has_text="在职证明与社保记录核实无误")).to_be_visible()
    expect(app.get_by_test_id("account-status").locator("[data-product=jiebei]")).to_have_attribute("data-status", "active")
    screenshot(chat.page, "widget-appeal-approved")

    # deciding twice is refused, in the reviewer's language, and changes nothing
    console.page.locator("#review-status").select_option("approved")
    console.page.locator(f"[data-appeal='{number}']").click()
    expect(console.page.locator("#decision-form")).to_be_hidden()
    expect(console.page.get_by_test_id("appeal-decision")).to_contain_text("已通过")

    # the bot does not tell it again in the chat that already has it
    told = chat.messages("bot").filter(has_text=f"您的申诉 {number}")
    chat.say("借呗现在能用了吗")
    chat.expect_bot("借呗")
    expect(told).to_have_count(1)


def test_reviewer_sees_materials_inline(new_page):
    """Zheng Yi's seeded appeal has an uploaded document: the reviewer opens it in the page."""
    console = Console(new_page("/console")).log_in(*REVIEWER, name="小陈")
    first = console.page.get_by_test_id("review-queue").locator("[data-appeal]").filter(has_text="郑一").first
    first.click()
    materials = console.page.get_by_test_id("appeal-materials")
    materials.locator("li").filter(has_text="刷脸验证.png").get_by_role("button").click()
    image = console.page.get_by_test_id("material-view").locator("img")
    expect(image).to_have_attribute("alt", "刷脸验证.png")
    expect(image).to_have_js_property("naturalWidth", 1)  # the seeded 1×1 PNG, decoded
    materials.locator("li").filter(has_text="工资流水-近6个月.pdf").get_by_role("button").click()
    expect(console.page.get_by_test_id("material-view").get_by_role("link")).to_contain_text("工资流水-近6个月.pdf")
    materials.locator("li").filter(has_text="刷脸验证.png").get_by_role("button").click()
    screenshot(console.page, "console-review-material")


def test_reviewer_approves_zhang_sans_appeal_and_he_sees_it_in_english(new_page):
    app = new_page("/", locale="en-US")
    chat = Chat(app).log_in("13800000001").open()
    statement = "The overdue records were a bank error and have been corrected by the bank."
    number = file_appeal(chat, "I want to appeal the Huabei refusal", statement, "Yes, file it")

    console = Console(new_page("/console")).log_in(*REVIEWER, name="小陈")
    review_and_approve(console, number, "Bank letter confirms the records were corrected", "张三", statement)
    expect(chat.messages("bot").filter(has_text=f"Your appeal {number} was approved: Huabei is available again.")).to_be_visible()
    expect(app.get_by_test_id("account-status").locator("[data-product=huabei]")).to_have_attribute("data-status", "active")
    screenshot(chat.page, "widget-appeal-approved-en")
