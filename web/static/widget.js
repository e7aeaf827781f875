// The support chat widget: socket.io to Rasa's secure channel (channels/secure_socketio.py).
// Protocol: session_request {session_id, session_secret} → session_confirm (+ session_history
// when the pair was valid); user_uttered {message, metadata: {session_token}}; bot_uttered
// {text, quick_replies?, agent?} or {custom: {session_token} | {upload} | {rating_request}};
// bot_turn_done once the bot has answered a message. A rating goes to the backend
// (POST /api/v1/ratings), proved ours by the conversation's secret.
"use strict";

window.SupportWidget = (() => {
  const { el, languageOf, browserLanguage } = Common;
  const STORE = "support.widget.v1";
  const TYPING_TIMEOUT_MS = 20000;
  const ACCEPTED_FILES = "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf";

  const TEXT = {
    zh: {
      launcher: "在线客服", title: "花呗借呗 智能客服", assistant: "智能助手为您服务",
      withAgent: (name) => `人工客服 ${name} 为您服务`, close: "关闭对话窗口",
      placeholder: "请输入您的问题…", send: "发送", inputLabel: "输入消息",
      empty: "您好！遇到花呗、借呗无法开通、无法登录或身份验证失败？直接告诉我吧。",
      offline: "无法连接到客服服务器，请检查网络后重试。", retry: "重试", connecting: "正在连接…",
      typing: "对方正在输入…", agentJoined: (name) => `人工客服 ${name} 已加入对话`,
      backWithBot: "您已回到智能助手", you: "我", agentLabel: (name) => `客服 ${name}`,
      uploadTitle: (n) => `上传申诉材料（${n}）`, upload: "上传", chooseFile: (name) => `选择文件：${name}`,
      uploadHint: "支持 JPG、PNG、PDF，单个文件不超过 10 MB。",
      uploaded: (name) => `已上传：${name}`, uploadedNote: (n) => `已上传 ${n} 个文件`,
      tooLarge: "文件太大，单个文件不能超过 10 MB。", wrongType: "文件类型不支持，请上传 JPG、PNG 或 PDF 文件。",
      loginExpired: "登录已失效，请重新验证身份后再上传。", uploadFailed: "上传失败，请重试。",
      uploadOffline: "无法连接服务器，上传未完成，请重试。",
      rateQuestion: "您对这次服务满意吗？", rateLabel: (n) => `${n} 分（${["很不满意", "不满意", "一般", "满意", "非常满意"][n - 1]}）`,
      rateScale: "1 分很不满意，5 分非常满意", rated: "谢谢您的评价！", rateFailed: "评价没有保存，请重试。",
    },
    en: {
      launcher: "Support chat", title: "Huabei & Jiebei support", assistant: "Assistant",
      withAgent: (name) => `Agent ${name} is helping you`, close: "Close the chat",
      placeholder: "Type your question…", send: "Send", inputLabel: "Message",
      empty: "Hello! Can't open or use Huabei or Jiebei, can't log in, or identity verification failed? Tell me about it.",
      offline: "Cannot reach the support server. Check your connection and try again.", retry: "Retry",
      connecting: "Connecting…", typing: "Typing…", agentJoined: (name) => `Agent ${name} joined the conversation`,
      backWithBot: "You are back with the assistant", you: "You", agentLabel: (name) => `Agent ${name}`,
      uploadTitle: (n) => `Upload materials for appeal ${n}`, upload: "Upload", chooseFile: (name) => `Choose a file: ${name}`,
      uploadHint: "JPG, PNG or PDF, at most 10 MB per file.",
      uploaded: (name) => `Uploaded: ${name}`, uploadedNote: (n) => `${n} file(s) uploaded`,
      tooLarge: "The file is too large: at most 10 MB per file.", wrongType: "This file type is not supported: please upload a JPG, PNG or PDF file.",
      loginExpired: "Your session has expired: please verify your identity again before uploading.",
      uploadFailed: "The upload failed, please try again.", uploadOffline: "Cannot reach the server: the upload did not finish, please try again.",
      rateQuestion: "How satisfied are you with this conversation?",
      rateLabel: (n) => `${n} (${["very unhappy", "unhappy", "neutral", "happy", "very happy"][n - 1]})`,
      rateScale: "1 very unhappy, 5 very happy", rated: "Thank you for your rating!", rateFailed: "The rating was not saved, please try again.",
    },
  };

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE)) || {}; } catch { return {}; }
  }

  /**
   * Mounts the widget into document.body.
   * options: rasaUrl; appToken() → the app's session token or null; lang (initial UI language).
   */
  function mount({ rasaUrl, appToken = () => null, lang }) {
    let stored = load();
    const state = { lang: stored.lang || lang || browserLanguage(), agent: null, ready: false, typingTimer: null, pendingTurns: 0 };
    const t = (key, ...args) => {
      const value = TEXT[state.lang][key];
      return typeof value === "function" ? value(...args) : value;
    };
    const save = () => localStorage.setItem(STORE, JSON.stringify(stored));

    // --- DOM ---------------------------------------------------------------------------
    const launcher = el("button", { class: "sw-launcher", type: "button", "aria-expanded": "false", "aria-controls": "sw-panel" });
    const title = el("h2", { class: "sw-title", id: "sw-title" });
    const status = el("p", { class: "sw-status", "data-testid": "widget-status" });
    const closeButton = el("button", { class: "sw-close", type: "button", text: "×" });
    const bannerText = el("span");
    const retryButton = el("button", { type: "button", class: "sw-retry" });
    const banner = el("div", { class: "sw-banner", role: "alert", hidden: true }, bannerText, retryButton);
    const empty = el("p", { class: "sw-empty" });
    const messages = el("div", { class: "sw-messages" });
    const typing = el("div", { class: "sw-typing", hidden: true, "aria-live": "polite" });
    const log = el("div", { class: "sw-log", role: "log", "aria-live": "polite", tabindex: "0" }, empty, messages, typing);
    const input = el("input", { class: "sw-input", type: "text", autocomplete: "off", maxlength: "1000" });
    const sendButton = el("button", { class: "sw-send", type: "submit" });
    const form = el("form", { class: "sw-form" }, input, sendButton);
    const panel = el("section", { class: "sw-panel", id: "sw-panel", role: "dialog", "aria-labelledby": "sw-title", hidden: true },
      el("header", { class: "sw-header" }, el("div", {}, title, status), closeButton), banner, log, form);
    document.body.append(launcher, panel);

    function renderTexts() {
      launcher.textContent = t("launcher");
      title.textContent = t("title");
      status.textContent = state.agent ? t("withAgent", state.agent) : t("assistant");
      closeButton.setAttribute("aria-label", t("close"));
      input.placeholder = t("placeholder");
      input.setAttribute("aria-label", t("inputLabel"));
      sendButton.textContent = t("send");
      retryButton.textContent = t("retry");
      bannerText.textContent = t("offline");
      empty.textContent = t("empty");
      typing.textContent = t("typing");
      panel.classList.toggle("sw-with-agent", Boolean(state.agent));
    }

    function setLang(lang) {
      if (!lang || lang === state.lang) return;
      state.lang = lang;
      stored.lang = lang;
      save();
      document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
      renderTexts();
    }

    function open() {
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      input.focus();
    }

    function close() {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }

    launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
    closeButton.addEventListener("click", close);
    panel.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });

    // --- messages ------------------------------------------------------------------------
    function scrollDown() { log.scrollTop = log.scrollHeight; }

    function append(node) {
      empty.hidden = true;
      messages.append(node);
      scrollDown();
    }

    function addSystem(text) {
      append(el("p", { class: "sw-msg sw-system", "data-sender": "system", text }));
    }

    /** Shows "agent joined" / "back with the assistant" when who answers changes. */
    function noteSpeaker(agentName) {
      if (agentName && agentName !== state.agent) {
        state.agent = agentName;
        addSystem(t("agentJoined", agentName));
      } else if (!agentName && state.agent) {
        state.agent = null;
        addSystem(t("backWithBot"));
      } else return;
      renderTexts();
    }

    function addMessage(sender, text, { agent, quickReplies } = {}) {
      const bubble = el("div", { class: `sw-msg sw-${sender}`, "data-sender": sender });
      if (sender === "agent") bubble.append(el("span", { class: "sw-from", text: t("agentLabel", agent) }));
      // Plain text only, never links: an agent (or an account taken over) could otherwise send
      // the user to a phishing page, and the bot's own answers contain no URL.
      bubble.append(el("span", { class: "sw-text", text }));
      if (quickReplies && quickReplies.length) {
        const group = el("div", { class: "sw-replies", role: "group" });
        for (const reply of quickReplies) {
          group.append(el("button", {
            type: "button", class: "sw-reply", text: reply.title,
            onclick: () => {
              if (send(reply.payload, reply.title)) group.querySelectorAll("button").forEach((b) => (b.disabled = true));
            },
          }));
        }
        bubble.append(group);
      }
      append(bubble);
    }

    function showTyping() {
      if (state.agent) return;  // an agent's replies take their time; no fake "typing"
      typing.hidden = false;
      scrollDown();
      clearTimeout(state.typingTimer);
      state.typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
    }

    function hideTyping() {
      typing.hidden = true;
      clearTimeout(state.typingTimer);
    }

    /** Counts messages the bot has not finished answering; `data-busy` on the log says so. */
    function setPendingTurns(count) {
      state.pendingTurns = Math.max(0, count);
      if (state.pendingTurns) {
        log.dataset.busy = "true";
        showTyping();
      } else {
        delete log.dataset.busy;
        hideTyping();
      }
    }

    // --- identity --------------------------------------------------------------------------
    /** The app's token when logged in, else the one the bot issued after a one-time code. */
    function sessionToken() {
      const fromApp = appToken();
      if (fromApp) return fromApp;
      const verified = stored.verified;
      if (verified && (!verified.expiresAt || Date.parse(verified.expiresAt) > Date.now())) return verified.token;
      return null;
    }

    // --- socket.io -------------------------------------------------------------------------
    const socket = io(rasaUrl, { transports: ["websocket"], timeout: 5000, reconnectionDelayMax: 5000 });

    function setReady(ready) {
      state.ready = ready;
      sendButton.disabled = !ready;
      banner.hidden = ready;
    }

    socket.on("connect", () => {
      socket.emit("session_request", { session_id: stored.sessionId, session_secret: stored.sessionSecret });
    });
    socket.on("session_confirm", (data) => {
      if (data.session_id !== stored.sessionId) {
        stored = { lang: state.lang, sessionId: data.session_id, sessionSecret: data.session_secret };
        save();
        messages.replaceChildren();
        empty.hidden = false;
        state.agent = null;
        renderTexts();
      }
      setReady(true);
    });
    socket.on("session_history", (lines) => {
      messages.replaceChildren();
      state.agent = null;
      for (const line of lines) {
        if (line.sender === "user") {
          addMessage("user", line.text);
        } else {
          noteSpeaker(line.agent || null);
          addMessage(line.sender, line.text, { agent: line.agent, quickReplies: line.quick_replies });
        }
      }
      const lastUser = lines.filter((l) => l.sender === "user").pop();
      if (lastUser) setLang(languageOf(lastUser.text));
      if (stored.upload) renderUpload(stored.upload);
      if (stored.rating === "offered") renderRating();
      renderTexts();
    });
    socket.on("bot_uttered", (message) => {
      if (!state.pendingTurns) hideTyping();
      if (message.custom) return handleCustom(message.custom);
      if (!message.text) return;
      noteSpeaker(message.agent || null);
      addMessage(message.agent ? "agent" : "bot", message.text, { agent: message.agent, quickReplies: message.quick_replies });
    });
    socket.on("bot_turn_done", () => setPendingTurns(state.pendingTurns - 1));
    socket.on("disconnect", () => {
      setPendingTurns(0);
      setReady(false);
    });
    socket.on("connect_error", () => setReady(false));
    retryButton.addEventListener("click", () => {
      bannerText.textContent = t("connecting");
      socket.disconnect();
      socket.connect();
    });

    function handleCustom(custom) {
      if (custom.session_token) {
        stored.verified = { token: custom.session_token, expiresAt: custom.expires_at };
        save();
      }
      if (custom.upload) {
        stored.upload = custom.upload;
        save();
        renderUpload(custom.upload);
      }
      if (custom.rating_request && stored.rating !== "done") {
        stored.rating = "offered";
        save();
        renderRating();
      }
    }

    // --- satisfaction rating -----------------------------------------------------------------
    // 1 to 5 rather than thumbs: one tap either way, but an average and a spread tell a
    // maintainer more than a share of thumbs up, and "neutral" needs no forced choice.
    async function postRating(score) {
      try {
        const response = await fetch(`/api/v1/ratings?lang=${state.lang}`, {
          method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ conversation_id: stored.sessionId, session_secret: stored.sessionSecret, score }),
        });
        if (response.status === 201 || response.status === 409) return { ok: true };  // 409: rated already
        const body = await response.json().catch(() => ({}));
        return { ok: false, message: body.message };
      } catch {
        return { ok: false };
      }
    }

    function renderRating() {
      messages.querySelectorAll(".sw-rating").forEach((old) => old.remove());
      const note = el("p", { class: "sw-rating-note", role: "status" });
      const buttons = [1, 2, 3, 4, 5].map((score) => el("button", {
        type: "button", class: "sw-rate", text: String(score), "aria-label": t("rateLabel", score), "data-score": String(score),
      }));
      const group = el("div", { class: "sw-rate-buttons", role: "group", "aria-label": t("rateQuestion") }, ...buttons);
      const card = el("div", { class: "sw-msg sw-rating", "data-sender": "rating", "data-testid": "rating" },
        el("p", { class: "sw-rating-question", text: t("rateQuestion") }), group,
        el("p", { class: "sw-rating-scale", text: t("rateScale") }), note);
      buttons.forEach((button) => button.addEventListener("click", async () => {
        buttons.forEach((b) => (b.disabled = true));
        const result = await postRating(Number(button.dataset.score));
        if (result.ok) {
          stored.rating = "done";
          save();
          card.replaceChildren(el("p", { class: "sw-rating-note", role: "status", text: t("rated") }));
          card.classList.add("sw-done");
        } else {
          note.classList.add("sw-error");
          note.textContent = result.message || t("rateFailed");
          buttons.forEach((b) => (b.disabled = false));
        }
      }));
      append(card);
    }

    /** Sends `text` to the bot and shows `shown` (a button's title) as the user's message. */
    function send(text, shown = text) {
      if (!state.ready) {
        banner.hidden = false;
        return false;
      }
      if (shown) {
        setLang(languageOf(shown));
        addMessage("user", shown);
      }
      const token = sessionToken();
      socket.emit("user_uttered", { message: text, metadata: token ? { session_token: token } : {} });
      setPendingTurns(state.pendingTurns + 1);
      return true;
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (text && send(text)) input.value = "";
    });

    // --- materials upload ------------------------------------------------------------------
    function uploadFile(number, kind, file, onProgress) {
      return new Promise((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open("POST", `/api/v1/me/appeals/${encodeURIComponent(number)}/materials?lang=${state.lang}`);
        const token = sessionToken();
        if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
        xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
        xhr.onload = () => resolve(xhr.status);
        xhr.onerror = () => resolve(0);
        const body = new FormData();
        body.append("kind", kind);
        body.append("file", file);
        xhr.send(body);
      });
    }

    function uploadError(status) {
      return { 0: t("uploadOffline"), 401: t("loginExpired"), 413: t("tooLarge"), 415: t("wrongType") }[status] || t("uploadFailed");
    }

    function renderUpload(upload) {
      messages.querySelectorAll(".sw-upload").forEach((old) => old.remove());
      const rows = upload.kinds.map((kind) => {
        const fileInput = el("input", { type: "file", accept: ACCEPTED_FILES, "aria-label": t("chooseFile", kind.name), "data-kind": kind.kind });
        const progress = el("progress", { max: "1", value: "0", hidden: true });
        const note = el("p", { class: "sw-upload-note", role: "status" });
        const row = el("div", { class: "sw-upload-row" }, el("span", { class: "sw-upload-kind", text: kind.name }), fileInput, progress, note);
        return { kind, fileInput, progress, note, row, done: false };
      });
      const button = el("button", { type: "button", class: "sw-upload-button", text: t("upload"), disabled: true });
      const card = el("div", { class: "sw-msg sw-upload", "data-sender": "upload", role: "group", "aria-label": t("uploadTitle", upload.appeal_number) },
        el("strong", { text: t("uploadTitle", upload.appeal_number) }),
        el("p", { class: "sw-upload-hint", text: t("uploadHint") }),
        ...rows.map((r) => r.row), button);
      const chosen = () => rows.filter((r) => !r.done && r.fileInput.files.length);
      rows.forEach((r) => r.fileInput.addEventListener("change", () => { button.disabled = !chosen().length; }));

      button.addEventListener("click", async () => {
        button.disabled = true;
        let uploaded = 0;
        for (const r of chosen()) {
          const file = r.fileInput.files[0];
          r.progress.hidden = false;
          r.note.className = "sw-upload-note";
          r.note.textContent = "";
          const status = await uploadFile(upload.appeal_number, r.kind.kind, file, (p) => (r.progress.value = p));
          r.progress.hidden = true;
          if (status === 201) {
            r.done = true;
            r.fileInput.disabled = true;
            r.note.textContent = t("uploaded", file.name);
            uploaded += 1;
          } else {
            r.note.classList.add("sw-error");
            r.note.textContent = uploadError(status);
          }
        }
        if (rows.every((r) => r.done)) {
          card.classList.add("sw-done");
          delete stored.upload;
          save();
        }
        if (uploaded) {
          addSystem(t("uploadedNote", uploaded));
          send("/materials_uploaded", null);
        }
        button.disabled = !chosen().length;
      });
      append(card);
    }

    /** A different person now uses the page (login or logout): start a new conversation. */
    function reset() {
      stored = { lang: state.lang };
      save();
      messages.replaceChildren();
      empty.hidden = false;
      state.agent = null;
      setPendingTurns(0);
      renderTexts();
      socket.disconnect();
      socket.connect();
    }

    renderTexts();
    setReady(false);
    banner.hidden = true;  // not "offline" before the first attempt has had a chance
    return { open, reset, setLang };
  }

  return { mount };
})();
