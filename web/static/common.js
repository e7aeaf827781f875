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

  /* Pinyin tells nothing about the language: the same lists and rule as components/language.py,
   * kept equal by tests/components/test_components.py and run on the same messages by
   * tests/browser/test_widget_chat.py. */
  const PINYIN_SYLLABLES = new Set(`
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can
cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den
deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang
fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang
gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken
keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian
liang liao lie lin ling liu lo long lou lu luan lue lun luo lv lve lü lüe ma mai man mang
mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen
neng ni nian niang niao nie nin ning niu nong nou nu nuan nue nuo nv nve nü nüe o ou pa pai
pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin
qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo
sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu
shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao
te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo
wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin
ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang
zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong
zou zu zuan zui zun zuo
`.trim().split(/\s+/));
  const NEUTRAL_WORDS = new Set(`
huabei jiebei hb jb ok okay a an he she me ye you yo can man ban pan fan ran hang long song
bang gang hen men pen ben gun run sun pin bin die lie tie pie ping ding ha haha hahaha guide
`.trim().split(/\s+/));
  const PINYIN_MARK = /zh|[xqj]|ao|ui|iu|uo|ie|ei|ia|ua|eng|ong/;
  const LONGEST_SYLLABLE = 6;
  const LONGEST_WORD = 40;

  /** True when `word` splits into pinyin syllables (linear, like spelt_in_pinyin). */
  function speltInPinyin(word) {
    if (word.length > LONGEST_WORD) return false;
    const splitsHere = [true];
    for (let end = 1; end <= word.length; end++) {
      splitsHere[end] = false;
      for (let start = Math.max(0, end - LONGEST_SYLLABLE); start < end; start++) {
        if (splitsHere[start] && PINYIN_SYLLABLES.has(word.slice(start, end))) splitsHere[end] = true;
      }
    }
    return splitsHere[word.length];
  }

  function isPinyin(text) {
    let marked = false;
    for (const word of text.toLowerCase().match(/[a-zü]+/g) || []) {
      if (NEUTRAL_WORDS.has(word)) continue;
      if (!speltInPinyin(word)) return false;
      marked = marked || PINYIN_MARK.test(word);
    }
    return marked;
  }

  /** "zh" when the text has Chinese characters, "en" when it has Latin words that are not
   * all pinyin, else null (the page keeps its language). The same patterns as
   * components/language.py, kept equal by tests/components/test_components.py. */
  function languageOf(text) {
    if (/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/.test(text)) return "zh";
    if (/[A-Za-z]{2,}/.test(text)) return isPinyin(text) ? null : "en";
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
