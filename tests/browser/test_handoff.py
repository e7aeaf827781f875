"""A user asks for a human; an agent claims, reads, replies and hands back; the bot answers again."""
from playwright.sync_api import expect

from tests.browser.ui import AGENT, Chat, Console, screenshot
from tests.helpers import reason


def test_live_handoff_and_handback(new_page, backend_url):
    chat = Chat(new_page("/")).log_in("13800000001").open()
    chat.say("为什么我开不了花呗")
    chat.expect_bot(reason(backend_url, "CREDIT_OVERDUE_HISTORY", "zh")["title"])
    chat.say("转人工")
    chat.expect_bot("人工客服")
    chat.say("还有人吗")  # typed before any agent joins: told that it will be read
    chat.expect_bot("人工客服接入后会看到您在这里留下的所有消息")

    console = Console(new_page("/console")).log_in(*AGENT)
    ticket = console.ticket("张三")
    expect(ticket).to_contain_text("花呗")
    expect(ticket).to_contain_text("等待")
    ticket.click()
    expect(console.page.get_by_test_id("ticket-customer")).to_contain_text("张三")  # from the verified token
    console.press("claim-button")
    expect(console.page.locator("#ticket-notice")).to_have_text("已接单，可以回复用户了。")
    expect(console.transcript("user").filter(has_text="为什么我开不了花呗")).to_be_visible()
    expect(console.transcript("user").filter(has_text="转人工")).to_be_visible()

    console.reply("您好，我是客服小王，逾期记录会在结清后保留五年，我来帮您看看。")
    chat.expect_bot("我是客服小王", sender="agent")
    expect(chat.messages("system").filter(has_text="人工客服 小王 已加入对话")).to_be_visible()
    expect(chat.page.get_by_test_id("widget-status")).to_have_text("人工客服 小王 为您服务")

    # while the agent has the conversation the bot stays silent; the agent sees the message live
    bot_messages = chat.messages("bot").count()
    chat.say("好的，那我什么时候可以再申请？")
    expect(console.transcript("user").filter(has_text="什么时候可以再申请")).to_be_visible()
    screenshot(console.page, "console-transcript")
    screenshot(chat.page, "widget-with-agent")

    console.press("handback-button")
    expect(console.page.locator("#ticket-notice")).to_have_text("已交还智能助手，工单已关闭。")
    chat.expect_bot("已回到智能助手")
    expect(chat.messages("system").filter(has_text="您已回到智能助手")).to_be_visible()
    assert chat.messages("bot").count() == bot_messages + 1  # nothing but the welcome back

    explained = chat.messages("bot").filter(has_text=reason(backend_url, "CREDIT_OVERDUE_HISTORY", "zh")["explanation"])
    explained_before = explained.count()
    chat.say("为什么我开不了花呗")
    expect(explained).to_have_count(explained_before + 1)
    screenshot(chat.page, "widget-after-handback")

    # the user comes back later: the whole conversation, in order, agent message included
    shown = chat.page.locator(".sw-messages .sw-msg").all_inner_texts()
    chat.page.reload()
    chat.open()
    expect(chat.messages("agent")).to_have_count(1)
    assert chat.page.locator(".sw-messages .sw-msg").all_inner_texts() == shown
