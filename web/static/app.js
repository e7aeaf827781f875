// The demo app page: "logs in" as a demo customer (the backend issues an app session token)
// or stays logged out, and embeds the chat widget, which sends that token with every message.
// Logged in, it shows the customer's account status as the app would, kept current (a
// reviewer's decision on an appeal shows here too).
"use strict";

(() => {
  const { el, api, productNames } = Common;
  const SESSION = "demo.appSession";
  const select = document.getElementById("customer-select");
  const loginState = document.getElementById("login-state");
  const loginError = document.getElementById("login-error");
  const ACCOUNTS_POLL_MS = 5000;
  const englishNames = productNames("en").catch(() => ({}));
  const STATUS = {
    active: "正常 · active", not_opened: "未开通 · not opened", refused: "未通过 · refused",
    under_review: "审核中 · under review", suspended: "已暂停 · suspended",
  };
  const accountStatus = el("ul", { id: "account-status", class: "account-status", "data-testid": "account-status",
    "aria-label": "账户状态 · Account status" });
  loginState.after(accountStatus);

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
    showAccounts();
  }

  async function showAccounts() {
    const session = appSession();
    let accounts = [];
    if (session) {
      try {
        accounts = await api("/me/accounts", { token: session.token, lang: "zh" });
      } catch { return; }  // keep what is shown; the next poll tries again
    }
    const english = await englishNames;
    accountStatus.replaceChildren(...accounts.map((a) => el("li", {
      "data-product": a.product, "data-status": a.status,
      text: `${[a.product_name, english[a.product]].filter(Boolean).join(" ")}：${STATUS[a.status] || a.status}`,
    })));
  }
  setInterval(showAccounts, ACCOUNTS_POLL_MS);

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
