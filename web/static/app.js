// The demo app page: "logs in" as a demo customer (the backend issues an app session token)
// or stays logged out, and embeds the chat widget, which sends that token with every message.
"use strict";

(() => {
  const { el, api } = Common;
  const SESSION = "demo.appSession";
  const select = document.getElementById("customer-select");
  const loginState = document.getElementById("login-state");
  const loginError = document.getElementById("login-error");

  function appSession() {
    try {
      const session = JSON.parse(localStorage.getItem(SESSION));
      return session && Date.parse(session.expires_at) > Date.now() ? session : null;
    } catch { return null; }
  }

  function showLogin() {
    const session = appSession();
    loginState.textContent = session
      ? `已登录 · Logged in: ${session.customer.name} / ${session.customer.name_en} (${session.customer.masked_phone})`
      : "未登录 · Logged out";
  }

  const widget = SupportWidget.mount({
    rasaUrl: window.APP_CONFIG.rasaUrl,
    appToken: () => appSession()?.token || null,
    lang: appSession()?.customer.preferred_language,
  });

  document.getElementById("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    loginError.hidden = true;
    try {
      const session = await api("/demo/app-session", { method: "POST", body: { phone: select.value } });
      localStorage.setItem(SESSION, JSON.stringify(session));
      widget.setLang(session.customer.preferred_language);
      widget.reset();
      showLogin();
    } catch (error) {
      loginError.textContent = error.message || "登录失败 · Login failed";
      loginError.hidden = false;
    }
  });

  document.getElementById("logout-button").addEventListener("click", () => {
    localStorage.removeItem(SESSION);
    widget.reset();
    showLogin();
  });

  api("/demo/customers").then((customers) => {
    for (const c of customers) {
      select.append(el("option", { value: c.phone, text: `${c.name} ${c.name_en} · ${c.phone} · ${c.situation}` }));
    }
  }).catch(() => {
    loginError.textContent = "无法加载演示客户 · Cannot load the demo customers";
    loginError.hidden = false;
  });
  showLogin();
})();
