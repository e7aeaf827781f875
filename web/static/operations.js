// The operations page of the console: incidents (open first), open a new one, move an open
// one's expected end, close it. The bot reads incidents live, so its answers follow at once;
// closing tells the customers the bot explained the incident to. Titles are shown as plain text.
"use strict";

(() => {
  const { el, productNames } = Common;
  const POLL_MS = 10000;
  const TEXT = {
    zh: {
      list: "服务故障", empty: "没有故障记录。", open: "发布故障", product: "产品", service: "服务名（小写字母、数字、-）",
      titleZh: "标题（中文）", titleEn: "标题（英文）", expectedEnd: "预计结束时间", openButton: "发布",
      allProducts: "全部产品", newEnd: "新的预计结束时间", update: "更新时间",
      close: "结束故障", statuses: { open: "进行中", closed: "已结束" },
      meta: (i) => `${i.service} · ${i.status === "open" ? "进行中" : "已结束"} · 预计结束 ${time(i.expected_end)}` +
        (i.closed_at ? ` · 结束于 ${time(i.closed_at)}` : ""),
      counts: (i) => `已向 ${i.conversations_told} 个对话说明，其中 ${i.conversations_notified} 个已收到结束通知`,
      opened: (i) => `已发布：${i.title}`, updated: "预计结束时间已更新。",
      closed: (i) => `故障已结束，已通知 ${i.conversations_notified} 个对话。`,
    },
    en: {
      list: "Service incidents", empty: "No incident on record.", open: "Announce an incident", product: "Product",
      service: "Service (lower-case letters, digits, -)", titleZh: "Title (Chinese)", titleEn: "Title (English)",
      expectedEnd: "Expected end", openButton: "Announce", allProducts: "All products",
      newEnd: "New expected end", update: "Update", close: "Close incident", statuses: { open: "open", closed: "closed" },
      meta: (i) => `${i.service} · ${i.status} · expected end ${time(i.expected_end)}` + (i.closed_at ? ` · closed ${time(i.closed_at)}` : ""),
      counts: (i) => `explained in ${i.conversations_told} conversation(s), ${i.conversations_notified} told it ended`,
      opened: (i) => `Announced: ${i.title}`, updated: "Expected end updated.",
      closed: (i) => `Incident closed; ${i.conversations_notified} conversation(s) told.`,
    },
  };

  const $ = (id) => document.getElementById(id);
  const session = () => window.ConsoleSession;
  const state = { active: false, lang: "zh", incidents: [], products: {}, timer: null, key: "" };
  const t = (key, ...args) => {
    const value = TEXT[state.lang][key];
    return typeof value === "function" ? value(...args) : value;
  };
  function time(iso) {
    return iso ? new Date(iso).toLocaleString(state.lang === "zh" ? "zh-CN" : "en") : "";
  }
  /** The value of a datetime-local input (the browser's local time) as an ISO time with its zone. */
  const isoFromLocal = (value) => new Date(value).toISOString();
  const localValue = (date) => new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

  function say(text) {
    $("operations-notice").textContent = text;
    $("operations-error").textContent = "";
  }

  function fail(error) {
    if (error && error.status === 401) return session().logout();
    $("operations-error").textContent = error ? error.message || error.code : "";
  }

  async function renderLanguage() {
    document.querySelectorAll("[data-ot]").forEach((node) => (node.textContent = t(node.dataset.ot)));
    try {
      state.products = await productNames(state.lang);
    } catch (error) {
      fail(error);
    }
    const chosen = $("incident-product").value || "jiebei";
    $("incident-product").replaceChildren(...[...Object.entries(state.products), ["", t("allProducts")]]
      .map(([value, text]) => el("option", { value, text })));
    $("incident-product").value = chosen;
    if (!$("incident-end").value) $("incident-end").value = localValue(new Date(Date.now() + 2 * 3600000));
    state.key = "";
    refresh();
  }

  async function refresh() {
    if (!state.active) return;
    try {
      state.incidents = await session().call("/operations/incidents");
    } catch (error) {
      return fail(error);
    }
    const key = JSON.stringify([state.lang, state.incidents]);
    if (key === state.key) return;  // keeps a half-typed new end time
    state.key = key;
    $("incident-empty").hidden = state.incidents.length > 0;
    $("incident-list").replaceChildren(...state.incidents.map(item));
  }

  function item(incident) {
    const product = incident.product ? state.products[incident.product] || incident.product : t("allProducts");
    const li = el("li", { class: `incident state-${incident.status}`, "data-incident": incident.id },
      el("strong", { text: `${product} · ${incident.title}` }),
      el("span", { class: "meta", text: t("meta", incident) }),
      el("span", { class: "meta", text: t("counts", incident) }));
    if (incident.status === "open") {
      const input = el("input", { type: "datetime-local", id: `end-${incident.id}`, required: true,
        value: localValue(new Date(incident.expected_end || Date.now())) });
      li.append(
        el("form", { class: "row", onsubmit: (event) => { event.preventDefault(); update(incident, input.value); } },
          el("label", { for: `end-${incident.id}`, text: t("newEnd") }), input,
          el("button", { type: "submit", class: "secondary", text: t("update") })),
        el("p", {}, el("button", { type: "button", class: "close-incident", text: t("close"), onclick: () => close(incident) })));
    }
    return li;
  }

  async function update(incident, value) {
    if (!value) return;
    try {
      await session().call(`/operations/incidents/${incident.id}`, { method: "PATCH", body: { expected_end: isoFromLocal(value) } });
      say(t("updated"));
    } catch (error) {
      fail(error);
    }
    state.key = "";
    refresh();
  }

  async function close(incident) {
    try {
      say(t("closed", await session().call(`/operations/incidents/${incident.id}/close`, { method: "POST" })));
    } catch (error) {
      fail(error);
    }
    state.key = "";
    refresh();
  }

  $("incident-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      product: $("incident-product").value || null, service: $("incident-service").value.trim(),
      title_zh: $("incident-title-zh").value.trim(), title_en: $("incident-title-en").value.trim(),
      expected_end: isoFromLocal($("incident-end").value),
    };
    try {
      say(t("opened", await session().call("/operations/incidents", { method: "POST", body })));
      for (const id of ["incident-service", "incident-title-zh", "incident-title-en"]) $(id).value = "";
    } catch (error) {
      fail(error);
    }
    state.key = "";
    refresh();
  });

  document.addEventListener("console:session", (event) => {
    const { role, lang } = event.detail;
    const active = role === "operations";
    $("operations-page").hidden = !active;
    clearInterval(state.timer);
    const changed = active !== state.active || lang !== state.lang;
    state.active = active;
    state.lang = lang;
    if (!active) return;
    state.timer = setInterval(refresh, POLL_MS);
    if (changed) renderLanguage();
  });
})();
