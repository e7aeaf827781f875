"""How things are worded in the user's language: lists, dates and status labels.

Product names and reason titles, explanations and remedies are NOT here: they come from
the backend's catalog in the asked language.
"""
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Optional

from rasa_sdk import Tracker

ACCOUNT_STATUS = {
    "active": {"zh": "正常可用", "en": "active"},
    "not_opened": {"zh": "未开通", "en": "not opened"},
    "refused": {"zh": "申请被拒", "en": "refused"},
    "under_review": {"zh": "审核中", "en": "under review"},
    "suspended": {"zh": "已暂停", "en": "suspended"},
}

APPEAL_STATUS = {
    "submitted": {"zh": "已提交，待审核", "en": "submitted, waiting for review"},
    "in_review": {"zh": "审核中", "en": "in review"},
    "approved": {"zh": "已通过", "en": "approved"},
    "rejected": {"zh": "未通过", "en": "rejected"},
}

def language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or "zh"


def label(table: Dict[str, Dict[str, str]], key: Optional[str], lang: str) -> str:
    return table.get(key or "", {}).get(lang, key or "")


def join_items(items: List[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


BEIJING_TIME = timezone(timedelta(hours=8))


def format_time(iso: Optional[str], lang: str, with_time: bool = True) -> str:
    """Formats a backend ISO date or timestamp the way a reader of that language expects.

    The backend keeps UTC; customers read Beijing time (China has one time zone and no
    daylight saving), so a timestamp is shown in it and says so."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(BEIJING_TIME)
    if not with_time:
        return moment.strftime("%Y年%m月%d日" if lang == "zh" else "%d %b %Y")
    if lang == "zh":
        return moment.strftime("%Y年%m月%d日 %H:%M（北京时间）")
    return moment.strftime("%d %b %Y %H:%M (Beijing time)")


def describe_accounts(accounts: List[dict], lang: str) -> str:
    separator = "：" if lang == "zh" else ": "
    return join_items(
        [f"{account['product_name']}{separator}{label(ACCOUNT_STATUS, account['status'], lang)}" for account in accounts],
        lang,
    )


def material_names(materials: List[dict], lang: str) -> str:
    return join_items([material["name"] for material in materials], lang)
