// Small helpers shared by the app page, the chat widget and the agent console.
"use strict";

window.Common = (() => {
  /** Creates an element; `text` is set as textContent, never as HTML. */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  /** "zh" when the text has Chinese characters, "en" when it has Latin letters only, else null.
   * The same patterns as components/language.py, kept equal by tests/components/test_components.py. */
  function languageOf(text) {
    if (/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/.test(text)) return "zh";
    if (/[A-Za-z]{2,}/.test(text)) return "en";
    return null;
  }

  function browserLanguage() {
    return (navigator.language || "zh").toLowerCase().startsWith("zh") ? "zh" : "en";
  }

  /** JSON over fetch; throws {status, code, message} for error answers of the backend. */
  async function api(path, { method = "GET", token, body, lang } = {}) {
    const headers = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (lang) headers["Accept-Language"] = lang;
    let response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw { status: 0, code: "network_error", message: String(error) };
    }
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) throw { status: response.status, ...(data || {}) };
    return data;
  }

  /** {code: name} of the backend's product catalog in `lang`: product names live only there. */
  async function productNames(lang) {
    const products = await api("/products", { lang });
    return Object.fromEntries(products.map((p) => [p.code, p.name]));
  }

  return { el, languageOf, browserLanguage, api, productNames };
})();
