"""The pages as a user and an agent see and use them, for the browser tests."""
from playwright.sync_api import Page, expect

from scripts.stack import ROOT

ARTIFACTS = ROOT / "test-artifacts"
SECRETS = {
    "SERVICE_TOKEN": "browser-tests-service-token",
    "RASA_API_TOKEN": "browser-tests-rasa-token",
    "ACTION_SERVER_TOKEN": "browser-tests-action-token",
    "DEMO_AGENT_PASSWORD": "browser-tests-agent-password",
    "DEMO_REVIEWER_PASSWORD": "browser-tests-reviewer-password",
    "DEMO_OPERATIONS_PASSWORD": "browser-tests-operations-password",
    "SOCKET_SECRET": "browser-tests-socket-secret",
}
AGENT = ("xiaowang", SECRETS["DEMO_AGENT_PASSWORD"])
REVIEWER = ("xiaochen", SECRETS["DEMO_REVIEWER_PASSWORD"])
OPERATIONS = ("xiaozhou", SECRETS["DEMO_OPERATIONS_PASSWORD"])
PHONE = {"width": 390, "height": 844}
# A turn with several backend calls; the first turn of a run also warms Rasa up.
expect.set_options(timeout=30_000)


def screenshot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_2_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_accessible(page: Page, context: str) -> None:
    """0 violations of WCAG 2 A/AA (2.0 and 2.1 rules) by axe-core, on the page as it is now.

    axe comes from web/node_modules (package.json pins it), injected by the test, never served
    by the app. The pages' CSP allows no inline script, so a <script> tag with its text is
    refused there: then it is evaluated through the browser's debugging protocol instead,
    which the page's policy does not govern."""
    if not page.evaluate("() => Boolean(window.axe)"):
        try:
            page.add_script_tag(path=str(AXE))
        except Exception:  # refused by the CSP
            pass
        if not page.evaluate("() => Boolean(window.axe)"):
            page.evaluate(f"() => {{ {AXE.read_text()}\n window.axe = axe; }}")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_2_AA
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} - "
        + "; ".join(f"{' '.join(map(str, n['target']))}: {n.get('failureSummary', '')}" for n in v["nodes"])
        for v in result["violations"]
    ]
    assert not problems, f"{context}: {len(problems)} WCAG 2 AA violation(s):\n" + "\n".join(problems)


class Chat:
    """The chat widget on the demo app page, as a user sees and uses it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.panel = page.locator(".sw-panel")
        self.input = page.locator(".sw-input")
        self.shown_before = 0

    def log_in(self, phone: str) -> "Chat":
        self.page.locator("#customer-select").select_option(phone)
        self.page.locator("#login-button").click()
        expect(self.page.get_by_test_id("login-state")).to_contain_text("138****")
        return self

    def open(self) -> "Chat":
        if self.panel.is_hidden():
            self.page.locator(".sw-launcher").click()
        expect(self.panel).to_be_visible()
        expect(self.page.locator(".sw-send")).to_be_enabled()
        return self

    def say(self, text: str) -> None:
        """Sends `text` and waits until the bot has finished answering it, as a user would."""
        self.shown_before = self.page.locator(".sw-messages > *").count()
        self.input.fill(text)
        self.input.press("Enter")
        expect(self.messages("user").last).to_have_text(text)
        expect(self.page.locator(".sw-log")).not_to_have_attribute("data-busy", "true")

    def messages(self, sender: str):
        return self.page.locator(f".sw-messages [data-sender={sender}]")

    def expect_bot(self, text: str, sender: str = "bot") -> None:
        """A message of `sender` containing `text` arrives after the user's latest message."""
        newer = self.page.locator(f".sw-messages > [data-sender={sender}]:nth-child(n+{self.shown_before + 2})")
        expect(newer.filter(has_text=text).first).to_be_visible()



class Console:
    """The agent console, as an agent sees and uses it."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def log_in(self, username: str, password: str, name: str = "小王") -> "Console":
        """Any staff role logs in here; `name` is the display name the header then shows."""
        self.page.locator("#username").fill(username)
        self.page.locator("#password").fill(password)
        self.page.locator("#password").press("Enter")
        expect(self.page.get_by_test_id("agent-name")).to_have_text(name)
        return self

    def ticket(self, text: str):
        return self.page.locator(".ticket").filter(has_text=text)

    def transcript(self, sender: str):
        return self.page.locator(f"#transcript li[data-sender={sender}]")

    def press(self, button_id: str) -> None:
        self.page.locator(f"#{button_id}").click()

    def reply(self, text: str) -> None:
        self.page.locator("#reply-text").fill(text)
        self.page.locator("#reply-form button[type=submit]").click()
        expect(self.transcript("agent").filter(has_text=text)).to_be_visible()
