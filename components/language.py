"""Detect the language of a user message: Chinese if it has any CJK character.

The widget decides the same way (languageOf in web/static/common.js); a test keeps the
two patterns equal.
"""
import re
from typing import Optional, Text

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: Optional[Text]) -> Optional[Text]:
    """Return "zh", "en", or None when the text says nothing (digits, emoji, "/intent",
    or "EXTERNAL: ..." for an intent triggered by the backend)."""
    if not text or text.startswith(("/", "EXTERNAL: ")):
        return None
    if CJK.search(text):
        return "zh"
    if LATIN_WORD.search(text):
        return "en"
    return None
