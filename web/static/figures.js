// The figures page: GET /api/v1/staff/figures for a range of days, as numbers, charts
// (Chart.js, served by the backend from web/node_modules) and the same data as tables.
"use strict";

(() => {
  const { el, api } = Common;
  const TEXT = {
    zh: {
      title: "数据", summary: "概览", perDay: "每日对话数", causes: "咨询的原因（按对话数）", ratings: "满意度评分",
      conversations: "对话", containment: "无需人工解决", handoffs: "转人工", wait: "等待接单（平均 / 中位 / 最长）",
      fallback: "未理解率", satisfaction: "满意度", appeals: "申诉（提交 / 已处理 / 通过）",
      none: "—", handoffsValue: (h) => `${h.total}（已接 ${h.claimed}，等待中 ${h.waiting}）`,
      fallbackValue: (f, rate) => `${rate}（${f.not_understood} / ${f.user_messages} 条消息）`,
      satisfactionValue: (s) => s.count ? `${s.average} 分（${s.count} 个评价）` : `无评价`,
      day: "日期", count: "对话数", reason: "原因", score: "评分", ratingsCount: "评价数",
      seconds: (s) => s === null ? "—" : s < 60 ? `${s} 秒` : `${Math.floor(s / 60)} 分 ${Math.round(s % 60)} 秒`,
      chartPerDay: (n) => `每日对话数柱状图，共 ${n} 个对话，数据见下表`, chartCauses: "原因柱状图，数据见下表",
      chartRatings: "评分分布柱状图，数据见下表",
    },
    en: {
      title: "Figures", summary: "Overview", perDay: "Conversations per day", causes: "Causes asked about (by conversations)",
      ratings: "Satisfaction ratings", conversations: "Conversations", containment: "Resolved without a human",
      handoffs: "Handed to a human", wait: "Wait until claimed (average / median / longest)", fallback: "Not understood",
      satisfaction: "Satisfaction", appeals: "Appeals (filed / decided / approved)", none: "—",
      handoffsValue: (h) => `${h.total} (${h.claimed} claimed, ${h.waiting} waiting)`,
      fallbackValue: (f, rate) => `${rate} (${f.not_understood} of ${f.user_messages} messages)`,
      satisfactionValue: (s) => s.count ? `${s.average} of 5 (${s.count} ratings)` : "no ratings",
      day: "Day", count: "Conversations", reason: "Cause", score: "Score", ratingsCount: "Ratings",
      seconds: (s) => s === null ? "—" : s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`,
      chartPerDay: (n) => `Bar chart of conversations per day, ${n} in all; the table below has the data`,
      chartCauses: "Bar chart of causes; the table below has the data", chartRatings: "Bar chart of ratings; the table below has the data",
    },
  };
  const charts = {};
  const percent = (share) => (share === null ? "—" : `${(share * 100).toFixed(1)}%`);

  function table(id, headers, rows) {
    const head = el("tr", {}, ...headers.map((h) => el("th", { scope: "col", text: h })));
    document.getElementById(id).replaceChildren(
      el("thead", {}, head), el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", { text: String(c) }))))));
  }

  function chart(id, label, labels, data, description, horizontal = false) {
    charts[id]?.destroy();
    const canvas = document.getElementById(id);
    canvas.setAttribute("aria-label", description);
    charts[id] = new Chart(canvas, {
      type: "bar",
      data: { labels, datasets: [{ label, data, backgroundColor: "#1366e0" }] },
      options: {
        indexAxis: horizontal ? "y" : "x", animation: false, maintainAspectRatio: false,
        plugins: { legend: { display: false } }, scales: { [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function summary(f, t) {
    const items = [
      ["conversations", String(f.conversations.total)],
      ["containment", `${percent(f.conversations.containment)} (${f.conversations.contained} / ${f.conversations.total})`],
      ["handoffs", t("handoffsValue", f.handoffs)],
      ["wait", ["average", "median", "max"].map((k) => t("seconds", f.handoffs.wait_seconds[k])).join(" / ")],
      ["fallback", t("fallbackValue", f.fallback, percent(f.fallback.rate))],
      ["satisfaction", t("satisfactionValue", f.satisfaction)],
      ["appeals", `${f.appeals.filed} / ${f.appeals.decided} / ${f.appeals.approved}`],
    ];
    document.getElementById("summary").replaceChildren(...items.map(([key, value]) =>
      el("div", { class: "figure", "data-testid": `figure-${key}` }, el("dt", { text: t(key) }), el("dd", { text: value }))));
  }

  async function load(range, call, t) {
    const lang = document.documentElement.lang.startsWith("zh") ? "zh" : "en";
    const [f, reasons] = await Promise.all([
      call(`/staff/figures?from=${range.from}&to=${range.to}`),
      api(`/reasons?lang=${lang}`).catch(() => []),
    ]);
    const titles = Object.fromEntries(reasons.map((r) => [r.code, r.title]));
    summary(f, t);
    const days = f.conversations.per_day;
    chart("per-day-chart", t("count"), days.map((d) => d.day), days.map((d) => d.count), t("chartPerDay", f.conversations.total));
    table("per-day-table", [t("day"), t("count")], days.map((d) => [d.day, d.count]));
    const causes = f.causes.map((c) => [titles[c.reason_code] || c.reason_code, c.conversations]);
    chart("causes-chart", t("count"), causes.map((c) => c[0]), causes.map((c) => c[1]), t("chartCauses"), true);
    table("causes-table", [t("reason"), t("count")], causes);
    const scores = Object.entries(f.satisfaction.scores);
    chart("ratings-chart", t("ratingsCount"), scores.map((s) => s[0]), scores.map((s) => s[1]), t("chartRatings"));
    table("ratings-table", [t("score"), t("ratingsCount")], scores);
  }

  StaffPage.init({ texts: TEXT, load });
})();
