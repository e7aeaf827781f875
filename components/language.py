"""Detect the language of a user message: Chinese if it has any CJK character, English if
it has Latin words, unless they are all pinyin ("huabei weishenme yong bu liao").

Pinyin tells nothing: it is Chinese typed without an input method, or an English speaker
giving a Chinese name ("Qian Qi"), so the conversation keeps its language (Chinese at the
start). The widget decides the same way (languageOf in web/static/common.js); tests keep
the word lists equal and run both on the same messages.
"""
import re
from typing import Optional, Text

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
WORD = re.compile(r"[a-zü]+")

# Every syllable of Mandarin pinyin, without tones ("v" and "ü" both stand for ü).
PINYIN_SYLLABLES = frozenset("""
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
""".split())

# Words that say nothing about the language: the products' names and abbreviations, and
# English words that are also pinyin ("he can", "you ran") or laughter.
NEUTRAL_WORDS = frozenset("""
huabei jiebei hb jb ok okay a an he she me ye you yo can man ban pan fan ran hang long song
bang gang hen men pen ben gun run sun pin bin die lie tie pie ping ding ha haha hahaha guide
""".split())

# Letter groups that English words spelt in pinyin syllables ("are", "human", "resume",
# "change") almost never have, but most pinyin messages do ("liao", "wei", "rengong", "xie").
PINYIN_MARK = re.compile(r"zh|[xqj]|ao|ui|iu|uo|ie|ei|ia|ua|eng|ong")

LONGEST_SYLLABLE = max(len(syllable) for syllable in PINYIN_SYLLABLES)
LONGEST_WORD = 40


def spelt_in_pinyin(word: Text) -> bool:
    """True when `word` splits into pinyin syllables. Dynamic programming over the
    positions: linear in the word (a regular expression could backtrack without end)."""
    if len(word) > LONGEST_WORD:
        return False
    splits_here = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        splits_here[end] = any(splits_here[start] and word[start:end] in PINYIN_SYLLABLES
                               for start in range(max(0, end - LONGEST_SYLLABLE), end))
    return splits_here[-1]


def is_pinyin(text: Text) -> bool:
    """True when every word is pinyin or neutral, and one at least has a mark of pinyin."""
    marked = False
    for word in WORD.findall(text.lower()):
        if word in NEUTRAL_WORDS:
            continue
        if not spelt_in_pinyin(word):
            return False
        marked = marked or bool(PINYIN_MARK.search(word))
    return marked


def detect_language(text: Optional[Text]) -> Optional[Text]:
    """Return "zh", "en", or None when the text says nothing (digits, emoji, pinyin,
    "/intent", or "EXTERNAL: ..." for an intent triggered by the backend)."""
    if not text or text.startswith(("/", "EXTERNAL: ")):
        return None
    if CJK.search(text):
        return "zh"
    if LATIN_WORD.search(text):
        return None if is_pinyin(text) else "en"
    return None
