// The agent console: log in, watch the queue, claim a ticket, read the live transcript,
// reply (as a bot event with metadata.agent, which reaches the user's widget), hand back, close.
// Who the customer is comes only from the ticket's `customer` (the backend takes it from the
// user's verified token); the summary is the bot's notes, shown as plain text, never trusted.
// The conversation itself is readable only once the ticket is this agent's.
// Every staff role logs in here and sees only its own page: this file shows the agent's; the
// reviewer's (review.js) and operations' (operations.js) pages follow the "console:session"
// event and use ConsoleSession.call for the API with the staff token.
"use strict";

(() => {
  const { el, api, browserLanguage, productNames } = Common;
  const QUEUE_POLL_MS = 2500;
  const TRANSCRIPT_POLL_MS = 2000;
  const AUTH = "console.agent";
  const TEXT = {
    zh: {
      title: "客服工作台", lang: "English", logout: "退出", loginTitle: "员工登录", username: "用户名",
      password: "密码", login: "登录", queue: "待处理对话", queueEmpty: "暂无等待中的对话。",
      pickTicket: "从左侧选择一个对话。", claim: "接单", handback: "交还智能助手", close: "关闭工单",
      transcript: "对话记录", reply: "回复用户", send: "发送", unverified: "未验证用户",
      verified: (c) => `${c.name}（${c.masked_phone}，已验证身份）`, notes: "智能助手的备注（未经核实）",
      transcriptAfterClaim: "接单后可查看对话记录。",
      waiting: (s) => `等待 ${duration(s, "zh")}`, activeBy: (name) => `${name} 处理中`,
      ticketTitle: (t) => `工单 #${t.id}`, user: "用户", bot: "智能助手", agent: (name) => `客服 ${name}`,
      handedBack: "已交还智能助手，工单已关闭。", closed: "工单已关闭，用户再发消息将由智能助手回复。", claimed: "已接单，可以回复用户了。",
      noProduct: "未指明产品", noReason: "原因未诊断",
    },
    en: {
      title: "Agent console", lang: "中文", logout: "Log out", loginTitle: "Staff login", username: "Username",
      password: "Password", login: "Log in", queue: "Conversations waiting", queueEmpty: "No conversation is waiting.",
      pickTicket: "Pick a conversation on the left.", claim: "Claim", handback: "Hand back to the assistant",
      close: "Close ticket", transcript: "Transcript", reply: "Reply to the user", send: "Send",
      unverified: "Unverified user", verified: (c) => `${c.name_en} (${c.masked_phone}, verified)`,
      notes: "The assistant's notes (not verified)", transcriptAfterClaim: "Claim the ticket to read the conversation.",
      waiting: (s) => `waiting ${duration(s, "en")}`,
      activeBy: (name) => `with ${name}`, ticketTitle: (t) => `Ticket #${t.id}`, user: "User",
      bot: "Assistant", agent: (name) => `Agent ${name}`,
      handedBack: "Handed back to the assistant; the ticket is closed.", closed: "The ticket is closed; the assistant answers the user from now on.",
      claimed: "Claimed: you can reply to the user now.",
      noProduct: "no product named", noReason: "no cause diagnosed",
    },
  };

  const $ = (id) => document.getElementById(id);
  const state = {
    lang: localStorage.getItem("console.lang") || browserLanguage(),
    auth: JSON.parse(sessionStorage.getItem(AUTH) || "null"),
    tickets: [], selected: null, reasons: {}, products: {}, catalogLoaded: false, transcriptKey: "", timers: [],
  };
  const t = (key, ...args) => {
    const value = TEXT[state.lang][key];
    return typeof value === "function" ? value(...args) : value;
  };

  function duration(seconds, lang) {
    const m = Math.floor(seconds / 60), s = seconds % 60;
    if (lang === "zh") return m ? `${m} 分 ${s} 秒` : `${s} 秒`;
    return m ? `${m} min ${s} s` : `${s} s`;
  }

  const call = (path, options = {}) => api(path, { token: state.auth?.token, lang: state.lang, ...options });
  const role = () => state.auth?.agent.role || "agent";

  /** What the other role pages need: the API with the staff token, the language, logging out. */
  window.ConsoleSession = {
    call, logout: () => logout(),
    get lang() { return state.lang; },
    get auth() { return state.auth; },
  };
  const announce = () => document.dispatchEvent(new CustomEvent("console:session", {
    detail: { auth: state.auth, role: state.auth ? role() : null, lang: state.lang },
  }));

  function showError(error) {
    if (error && error.status === 401) return logout();
    $("ticket-error").textContent = error ? error.message || error.code : "";
  }

  function notice(text) {
    $("ticket-notice").textContent = text;
    $("ticket-error").textContent = "";
  }

  // --- language --------------------------------------------------------------------------
  // Reason and product names; until they load (the backend may be restarting), tickets show
  // codes and each queue poll tries again.
  async function loadCatalog() {
    state.catalogLoaded = false;
    try {
      const reasons = await api(`/reasons?lang=${state.lang}`);
      state.reasons = Object.fromEntries(reasons.map((r) => [r.code, r.title]));
      state.products = await productNames(state.lang);
      state.catalogLoaded = true;
    } catch { state.reasons = {}; state.products = {}; }
  }

  async function renderLanguage() {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    document.title = t("title");
    document.querySelectorAll("[data-t]").forEach((node) => (node.textContent = t(node.dataset.t)));
    $("lang-button").textContent = t("lang");
    announce();
    await loadCatalog();
    renderQueue();
    renderTicket();
    state.transcriptKey = "";
    refreshTranscript();
  }

  $("lang-button").addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    localStorage.setItem("console.lang", state.lang);
    renderLanguage();
  });

  // --- login -------------------------------------------------------------------------------
  function showWorkspace() {
    const loggedIn = Boolean(state.auth);
    const agent = loggedIn && role() === "agent";
    $("login-form").hidden = loggedIn;
    $("workspace").hidden = !agent;
    $("logout-button").hidden = !loggedIn;
    $("agent-name").textContent = loggedIn ? state.auth.agent.display_name : "";
    state.timers.forEach(clearInterval);
    state.timers = [];
    announce();
    if (agent) {
      refreshQueue();
      state.timers.push(setInterval(refreshQueue, QUEUE_POLL_MS), setInterval(refreshTranscript, TRANSCRIPT_POLL_MS));
    }
  }

  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("login-error").hidden = true;
    try {
      state.auth = await api("/agent/login", {
        method: "POST", lang: state.lang, body: { username: $("username").value, password: $("password").value },
      });
      sessionStorage.setItem(AUTH, JSON.stringify(state.auth));
      $("password").value = "";
      showWorkspace();
    } catch (error) {
      $("login-error").textContent = error.message || error.code;
      $("login-error").hidden = false;
    }
  });

  function logout() {
    state.auth = null;
    state.selected = null;
    sessionStorage.removeItem(AUTH);
    showWorkspace();
  }
  $("logout-button").addEventListener("click", logout);

  // --- queue ---------------------------------------------------------------------------------
  const mine = (ticket) => Boolean(ticket.agent) && ticket.agent.id === state.auth?.agent.id;
  const selectedTicket = () => state.tickets.find((x) => x.id === state.selected) || null;

  function describe(ticket) {
    const who = ticket.customer ? t("verified", ticket.customer) : t("unverified");
    const product = ticket.product ? state.products[ticket.product] || ticket.product : t("noProduct");
    const reason = ticket.reason_code ? state.reasons[ticket.reason_code] || ticket.reason_code : t("noReason");
    return { who, product, reason };
  }

  async function refreshQueue() {
    if (!state.catalogLoaded) await loadCatalog();
    try {
      state.tickets = await call("/agent/handoffs");
    } catch (error) {
      return showError(error);
    }
    renderQueue();
    renderTicket();
  }

  function renderQueue() {
    const list = $("queue");
    $("queue-empty").hidden = state.tickets.length > 0;
    list.replaceChildren(...state.tickets.map((ticket) => {
      const { who, product, reason } = describe(ticket);
      const status = ticket.status === "waiting" ? t("waiting", ticket.waiting_seconds) : t("activeBy", ticket.agent?.display_name);
      return el("li", {}, el("button", {
        type: "button", class: "ticket", "data-ticket": ticket.id, "aria-current": String(ticket.id === state.selected),
        onclick: () => select(ticket.id),
      },
      el("strong", { text: `#${ticket.id} ${who}` }),
      el("span", { class: "meta", text: `${product} · ${reason}` }),
      el("span", { class: `meta state-${ticket.status}`, text: status })));
    }));
  }

  function select(id) {
    state.selected = id;
    state.transcriptKey = "";
    notice("");
    renderQueue();
    renderTicket();
    refreshTranscript();
  }

  // --- ticket --------------------------------------------------------------------------------
  function renderTicket() {
    const ticket = selectedTicket();
    $("ticket").hidden = !ticket;
    $("ticket-none").hidden = Boolean(ticket);
    $("ticket-title").textContent = ticket ? t("ticketTitle", ticket) : "";
    if (!ticket) return;
    const { who, product, reason } = describe(ticket);
    $("ticket-customer").textContent = who;
    $("ticket-meta").textContent = `${product} · ${reason} · ${ticket.language}`;
    $("ticket-summary").textContent = ticket.summary;
    $("transcript-section").hidden = !mine(ticket);
    $("transcript-locked").hidden = mine(ticket);
    $("claim-button").hidden = ticket.status !== "waiting";
    $("handback-button").hidden = !mine(ticket);
    $("reply-form").hidden = !mine(ticket);
    $("close-button").hidden = ticket.status === "active" && !mine(ticket);
  }

  async function refreshTranscript() {
    const ticket = selectedTicket();
    if (!ticket || !mine(ticket)) {
      state.transcriptKey = "";
      $("transcript").replaceChildren();
      return;
    }
    let lines;
    try {
      lines = await call(`/agent/handoffs/${ticket.id}/transcript`);
    } catch (error) {
      return showError(error);
    }
    const key = JSON.stringify(lines);
    if (key === state.transcriptKey || ticket.id !== state.selected) return;
    state.transcriptKey = key;
    const list = $("transcript");
    list.replaceChildren(...lines.map((line) => {
      const from = line.sender === "agent" ? t("agent", line.agent || "") : t(line.sender);
      const time = line.at ? new Date(line.at).toLocaleTimeString(state.lang === "zh" ? "zh-CN" : "en") : "";
      return el("li", { class: line.sender, "data-sender": line.sender },
        el("span", { class: "from", text: `${from.trim()} ${time}` }), line.text);
    }));
    list.scrollTop = list.scrollHeight;
  }

  async function act(path, body, done) {
    const ticket = selectedTicket();
    if (!ticket) return;
    try {
      await call(`/agent/handoffs/${ticket.id}/${path}`, { method: "POST", body });
      notice(done);
    } catch (error) {
      showError(error);
    }
    await refreshQueue();
    state.transcriptKey = "";
    await refreshTranscript();
  }

  $("claim-button").addEventListener("click", () => act("claim", undefined, t("claimed")));
  $("handback-button").addEventListener("click", () => act("handback", undefined, t("handedBack")));
  $("close-button").addEventListener("click", () => act("close", undefined, t("closed")));
  // One id per message, kept while the same text is sent again after an error, so that a
  // send whose answer was lost does not reach the user twice (getRandomValues works on
  // plain http too, where randomUUID does not exist).
  const newMessageId = () =>
    Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  let unsent = { text: "", id: "" };
  $("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("reply-text").value.trim();
    if (!text) return;
    if (unsent.text !== text) unsent = { text, id: newMessageId() };
    await act("messages", { text, message_id: unsent.id }, "");
    if (!$("ticket-error").textContent) {
      $("reply-text").value = "";
      unsent = { text: "", id: "" };
    }
  });
  $("reply-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("reply-form").requestSubmit();
  });

  // After every script of the page has run, so that the role pages hear the first announcement.
  document.addEventListener("DOMContentLoaded", () => {
    renderLanguage();
    showWorkspace();
  });
})();
