// What the staff pages beside the console share (figures, messages not understood): the
// console's login (sessionStorage, same tab), the language switch, the day range, the nav.
"use strict";

window.StaffPage = (() => {
  const { api, browserLanguage } = Common;
  const AUTH = "console.agent";  // set by console.js at login
  const DAY_MS = 86400000;
  const TEXT = {
    zh: {
      lang: "English", logout: "退出", navConsole: "工作台", navFigures: "数据", navUnknown: "未理解的消息",
      needLogin: "请先在工作台登录。", toLogin: "去登录", from: "开始日期", to: "结束日期", show: "显示",
      loading: "正在加载…", range: (a, b) => `${a} 至 ${b}（UTC）`,
    },
    en: {
      lang: "中文", logout: "Log out", navConsole: "Console", navFigures: "Figures", navUnknown: "Not understood",
      needLogin: "Please log in on the console first.", toLogin: "Log in", from: "From", to: "To", show: "Show",
      loading: "Loading…", range: (a, b) => `${a} to ${b} (UTC)`,
    },
  };

  const $ = (id) => document.getElementById(id);
  const day = (time) => new Date(time).toISOString().slice(0, 10);

  /** texts: {zh: {...}, en: {...}} of the page; load(range, call, t) fetches and renders. */
  function init({ texts, load }) {
    const state = {
      lang: localStorage.getItem("console.lang") || browserLanguage(),
      auth: JSON.parse(sessionStorage.getItem(AUTH) || "null"),
    };
    const t = (key, ...args) => {
      const value = texts[state.lang][key] ?? TEXT[state.lang][key];
      return typeof value === "function" ? value(...args) : value;
    };
    const call = (path, options = {}) => api(path, { token: state.auth?.token, lang: state.lang, ...options });
    const params = new URLSearchParams(location.search);
    $("range-to").value = params.get("to") || day(Date.now());
    $("range-from").value = params.get("from") || day(Date.parse($("range-to").value) - 6 * DAY_MS);

    function logout() {
      sessionStorage.removeItem(AUTH);
      state.auth = null;
      render();
    }

    async function refresh() {
      $("page-error").textContent = "";
      if (!state.auth) return;
      $("page-status").textContent = t("loading");
      const range = { from: $("range-from").value, to: $("range-to").value };
      try {
        await load(range, call, t);
        $("page-status").textContent = t("range", range.from, range.to);
      } catch (error) {
        if (error.status === 401) return logout();
        $("page-status").textContent = "";
        $("page-error").textContent = error.message || error.code;
      }
    }

    function render() {
      document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
      document.title = t("title");
      document.querySelectorAll("[data-t]").forEach((node) => (node.textContent = t(node.dataset.t)));
      $("lang-button").textContent = t("lang");
      const loggedIn = Boolean(state.auth);
      $("need-login").hidden = loggedIn;
      $("workspace").hidden = !loggedIn;
      $("logout-button").hidden = !loggedIn;
      $("agent-name").textContent = loggedIn ? state.auth.agent.display_name : "";
      refresh();
    }

    $("lang-button").addEventListener("click", () => {
      state.lang = state.lang === "zh" ? "en" : "zh";
      localStorage.setItem("console.lang", state.lang);
      render();
    });
    $("logout-button").addEventListener("click", logout);
    $("range-form").addEventListener("submit", (event) => {
      event.preventDefault();
      history.replaceState(null, "", `?from=${$("range-from").value}&to=${$("range-to").value}`);
      refresh();
    });
    render();
    return { refresh, token: () => state.auth?.token };
  }

  return { init };
})();
