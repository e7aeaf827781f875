// Messages the bot did not understand (GET /api/v1/staff/unknown-messages), grouped and counted,
// newest first; the export downloads them as Rasa NLU YAML for labelling into data/nlu.
"use strict";

(() => {
  const { el } = Common;
  const TEXT = {
    zh: {
      title: "未理解的消息", groups: "按相似度分组（最新在前）", message: "消息", count: "次数", lastAt: "最近一次",
      similar: "相似的说法", export: "导出为 Rasa NLU YAML", total: (m, g) => `共 ${m} 条消息，${g} 组`,
    },
    en: {
      title: "Messages not understood", groups: "Grouped by similarity (newest first)", message: "Message", count: "Count",
      lastAt: "Last seen", similar: "Similar wordings", export: "Export as Rasa NLU YAML",
      total: (m, g) => `${m} message(s) in ${g} group(s)`,
    },
  };
  let current = null;

  async function load(range, call, t) {
    const data = await call(`/staff/unknown-messages?from=${range.from}&to=${range.to}`);
    current = range;
    document.getElementById("groups-total").textContent = t("total", data.messages, data.groups.length);
    document.getElementById("groups").replaceChildren(...data.groups.map((g) => el("tr", { class: "unknown-group" },
      el("td", { text: g.text }), el("td", { text: String(g.count) }),
      el("td", { text: new Date(g.last_at).toLocaleString(document.documentElement.lang) }),
      el("td", { text: g.examples.slice(1).join(" · ") }))));
  }

  /** The YAML comes with the staff token (a plain link could not send it), saved as a file. */
  document.getElementById("export-button").addEventListener("click", async () => {
    if (!current) return;
    const { from, to } = current;
    const response = await fetch(`/api/v1/staff/unknown-messages/export?from=${from}&to=${to}`, {
      headers: { Authorization: `Bearer ${page.token()}` },
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      document.getElementById("page-error").textContent = body.message || String(response.status);
      return;
    }
    const link = el("a", { href: URL.createObjectURL(await response.blob()), download: `unknown-messages-${from}-${to}.yml` });
    document.body.append(link);
    link.click();
    link.remove();
  });

  const page = StaffPage.init({ texts: TEXT, load });
})();
