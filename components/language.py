"""Detect the language of a user message: Chinese if it has any CJK character."""
import re
from typing import Optional, Text

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: Optional[Text]) -> Optional[Text]:
    """Return "zh", "en", or None when the text says nothing (digits, emoji, "/intent",
    or "EXTERNAL: ..." for an intent triggered by the backend)."""
    if not text or text.startswith(("/", "EXTERNAL: ")):
        return None
    if _CJK.search(text):
        return "zh"
    if _LATIN_WORD.search(text):
        return "en"
    return None
