// The reviewer's page of the console: the appeal queue (oldest first, filtered by product,
// reason and status), an appeal with the customer's situation, its materials shown inline,
// and the decision with a note. Everything the customer or the bot wrote is shown as plain
// text. Materials are fetched with the reviewer's token and shown as an image (data: URL,
// allowed by the page's CSP) or opened as a PDF from a blob; nothing of them runs here.
"use strict";

(() => {
  const { el, productNames } = Common;
  const POLL_MS = 5000;
  const TEXT = {
    zh: {
      queue: "待审核的申诉", product: "产品", reason: "原因", status: "状态", empty: "没有符合条件的申诉。",
      pick: "从左侧选择一个申诉。", accounts: "客户账户", reasonHeading: "申诉针对的原因", statement: "客户的申诉说明",
      timeline: "进度", materials: "材料", noMaterials: "客户还没有上传材料。", decision: "审核结论", approve: "通过",
      reject: "不通过", note: "审核说明（会告知客户，最多 1000 字）", submit: "提交结论", view: "查看", openPdf: "打开 PDF",
      any: "全部", open: "待处理（已提交、审核中）",
      statuses: { submitted: "已提交", in_review: "审核中", approved: "已通过", rejected: "未通过" },
      accountStatus: { active: "正常", not_opened: "未开通", refused: "被拒", under_review: "审核中", suspended: "已暂停" },
      appealTitle: (a) => `申诉 ${a.number}`,
      customer: (c) => `${c.name}（${c.masked_phone}，${c.region}）`,
      materialCount: (a) => `材料 ${a.materials_received}/${a.materials_required}`,
      decided: (d) => `${d.outcome === "approved" ? "已通过" : "未通过"}：${d.note}（${d.reviewer || ""}）` +
        (d.retry_after ? `，可于 ${d.retry_after} 后重新申请` : "") + (d.told_live ? "。已实时通知客户。" : "。客户下次咨询时会收到通知。"),
      done: "结论已提交。",
    },
    en: {
      queue: "Appeals to review", product: "Product", reason: "Reason", status: "Status", empty: "No appeal matches.",
      pick: "Pick an appeal on the left.", accounts: "Customer's accounts", reasonHeading: "Reason appealed against",
      statement: "The customer's statement", timeline: "Timeline", materials: "Materials",
      noMaterials: "The customer has not uploaded any material yet.", decision: "Decision", approve: "Approve",
      reject: "Reject", note: "Note (told to the customer, at most 1000 characters)", submit: "Submit decision",
      view: "View", openPdf: "Open PDF", any: "All", open: "Open (submitted, in review)",
      statuses: { submitted: "Submitted", in_review: "In review", approved: "Approved", rejected: "Rejected" },
      accountStatus: { active: "active", not_opened: "not opened", refused: "refused", under_review: "under review", suspended: "suspended" },
      appealTitle: (a) => `Appeal ${a.number}`,
      customer: (c) => `${c.name_en} (${c.masked_phone}, ${c.region})`,
      materialCount: (a) => `materials ${a.materials_received}/${a.materials_required}`,
      decided: (d) => `${d.outcome === "approved" ? "Approved" : "Rejected"}: ${d.note} (${d.reviewer || ""})` +
        (d.retry_after ? `; may apply again after ${d.retry_after}` : "") +
        (d.told_live ? ". The customer was told live." : ". The customer will be told at their next conversation."),
      done: "Decision submitted.",
    },
  };
  const STATUSES = ["submitted", "in_review", "approved", "rejected"];

  const $ = (id) => document.getElementById(id);
  const session = () => window.ConsoleSession;
  const state = { active: false, lang: "zh", appeals: [], selected: null, appeal: null, reasons: [], filtersLoaded: false, timer: null, key: "" };
  const t = (key, ...args) => {
    const value = TEXT[state.lang][key];
    return typeof value === "function" ? value(...args) : value;
  };
  const time = (iso) => (iso ? new Date(iso).toLocaleString(state.lang === "zh" ? "zh-CN" : "en") : "");

  function fail(error) {
    if (error && error.status === 401) return session().logout();
    $("review-error").textContent = error ? error.message || error.code : "";
  }

  function options(select, entries) {
    const chosen = select.value;
    select.replaceChildren(...entries.map(([value, label]) => el("option", { value, text: label })));
    if (entries.some(([value]) => value === chosen)) select.value = chosen;
  }

  // The filters' reason and product names; until they load (the backend may be restarting),
  // each queue poll tries again.
  async function loadFilters() {
    let products = {};
    state.filtersLoaded = false;
    try {
      state.reasons = await session().call("/reasons");
      products = await productNames(state.lang);
      state.filtersLoaded = true;
    } catch { state.reasons = []; }
    options($("review-product"), [["", t("any")], ...Object.entries(products)]);
    options($("review-reason"), [["", t("any")], ...state.reasons.filter((r) => r.appealable).map((r) => [r.code, r.title])]);
    options($("review-status"), [["", t("open")], ...STATUSES.map((s) => [s, t("statuses")[s]])]);
  }

  async function renderLanguage() {
    document.querySelectorAll("[data-rt]").forEach((node) => (node.textContent = t(node.dataset.rt)));
    await loadFilters();
    state.key = "";
    await refreshQueue();
    await loadAppeal();
  }

  async function refreshQueue() {
    if (!state.active) return;
    if (!state.filtersLoaded) await loadFilters();
    const query = new URLSearchParams();
    for (const [name, id] of [["product", "review-product"], ["reason", "review-reason"], ["status", "review-status"]]) {
      if ($(id).value) query.set(name, $(id).value);
    }
    try {
      state.appeals = await session().call(`/review/appeals?${query}`);
    } catch (error) {
      return fail(error);
    }
    const key = JSON.stringify([state.lang, state.selected, state.appeals]);
    if (key === state.key) return;
    state.key = key;
    $("review-empty").hidden = state.appeals.length > 0;
    $("review-queue").replaceChildren(...state.appeals.map((a) => el("li", {}, el("button", {
      type: "button", class: "ticket", "data-appeal": a.number, "aria-current": String(a.number === state.selected),
      onclick: () => select(a.number),
    },
    el("strong", { text: `${a.number} · ${t("customer", a.customer)}` }),
    el("span", { class: "meta", text: `${a.product_name} · ${a.reason_title}` }),
    el("span", { class: "meta", text: `${t("statuses")[a.status]} · ${t("materialCount", a)} · ${time(a.created_at)}` })))));
  }

  async function select(number) {
    state.selected = number;
    $("review-notice").textContent = "";
    $("review-error").textContent = "";
    $("material-view").replaceChildren();
    $("decision-note").value = "";
    state.key = "";
    await refreshQueue();
    await loadAppeal();
  }

  async function loadAppeal() {
    if (!state.selected) {
      state.appeal = null;
    } else {
      try {
        state.appeal = await session().call(`/review/appeals/${encodeURIComponent(state.selected)}`);
      } catch (error) {
        return fail(error);
      }
    }
    renderAppeal();
  }

  function renderAppeal() {
    const a = state.appeal;
    $("appeal").hidden = !a;
    $("appeal-none").hidden = Boolean(a);
    $("appeal-title").textContent = a ? t("appealTitle", a) : "";
    if (!a) return;
    $("appeal-customer").textContent = t("customer", a.customer);
    $("appeal-accounts").replaceChildren(...a.accounts.map((x) => el("li", { text: `${x.product_name}：${t("accountStatus")[x.status] || x.status}` })));
    $("appeal-reason").textContent = `${a.reason.title} (${a.reason.code})`;
    $("appeal-reason-explanation").textContent = a.reason.explanation;
    $("appeal-statement").textContent = a.statement;
    $("appeal-timeline").replaceChildren(...a.timeline.map((e) => el("li", { text: `${time(e.at)} · ${t("statuses")[e.status]} · ${e.note}` })));
    $("appeal-no-materials").hidden = a.materials.length > 0;
    $("appeal-materials").replaceChildren(...a.materials.map((m) => el("li", {},
      `${(a.required_materials.find((r) => r.kind === m.kind) || {}).name || m.kind} · ${m.file_name} · ${Math.ceil(m.size / 1024)} KB `,
      el("button", { type: "button", class: "secondary", "data-material": m.id, onclick: () => view(a.number, m) }, t("view")))));
    $("decision-form").hidden = !a.open;
    $("appeal-decision").textContent = a.decision ? t("decided", a.decision) : "";
  }

  /** Fetched with the token; an image is shown as a data: URL, a PDF opened from a blob. */
  async function view(number, material) {
    $("review-error").textContent = "";
    let blob;
    try {
      const response = await fetch(`/api/v1/review/appeals/${encodeURIComponent(number)}/materials/${material.id}/file`, {
        headers: { Authorization: `Bearer ${session().auth.token}`, "Accept-Language": state.lang },
      });
      if (!response.ok) throw { status: response.status, ...(await response.json().catch(() => ({}))) };
      blob = await response.blob();
    } catch (error) {
      return fail(error);
    }
    if (material.content_type.startsWith("image/")) {
      const url = await new Promise((resolve) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result);
        reader.readAsDataURL(blob);
      });
      $("material-view").replaceChildren(el("img", { src: url, alt: material.file_name, class: "material-image" }));
    } else {
      const url = URL.createObjectURL(new Blob([blob], { type: "application/pdf" }));
      $("material-view").replaceChildren(el("a", { href: url, target: "_blank", rel: "noopener", text: `${t("openPdf")}: ${material.file_name}` }));
    }
  }

  $("decision-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const outcome = new FormData(event.target).get("outcome");
    const note = $("decision-note").value.trim();
    if (!outcome || !note) return;
    try {
      state.appeal = await session().call(`/review/appeals/${encodeURIComponent(state.selected)}/decision`, {
        method: "POST", body: { outcome, note },
      });
      $("review-notice").textContent = t("done");
      $("review-error").textContent = "";
      $("decision-note").value = "";
    } catch (error) {
      fail(error);
      await loadAppeal();
      return refreshQueue();
    }
    renderAppeal();
    state.key = "";
    refreshQueue();
  });
  for (const id of ["review-product", "review-reason", "review-status"]) {
    $(id).addEventListener("change", () => { state.key = ""; refreshQueue(); });
  }

  document.addEventListener("console:session", (event) => {
    const { role, lang } = event.detail;
    const active = role === "reviewer";
    $("review-page").hidden = !active;
    clearInterval(state.timer);
    const changed = active !== state.active || lang !== state.lang;
    state.active = active;
    state.lang = lang;
    if (!active) {
      state.selected = null;
      state.appeal = null;
      return;
    }
    state.timer = setInterval(refreshQueue, POLL_MS);
    if (changed) renderLanguage();
  });
})();
