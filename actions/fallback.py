"""The first stage of the two-stage fallback, worded for people instead of intent names."""
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.wording import language

TOPICS = {
    "login_failed": {"zh": "无法登录", "en": "not being able to log in"},
    "identity_verification_failed": {"zh": "身份验证失败", "en": "a failed identity verification"},
    "service_unavailable": {"zh": "提示暂时无法使用服务", "en": "the service being unavailable"},
    "activation_failed": {"zh": "开通或申请被拒", "en": "a refused application"},
    "check_account_status": {"zh": "查询账户状态", "en": "your account status"},
    "ask_required_materials": {"zh": "需要哪些材料", "en": "which materials are needed"},
    "submit_materials": {"zh": "上传材料", "en": "uploading materials"},
    "request_appeal": {"zh": "提交申诉", "en": "filing an appeal"},
    "check_appeal_status": {"zh": "申诉进度", "en": "the progress of your appeal"},
    "ask_how_to_qualify": {"zh": "怎样才能开通", "en": "how to qualify"},
    "request_human": {"zh": "转人工客服", "en": "talking to a human agent"},
}


class ActionDefaultAskAffirmation(Action):
    def name(self) -> Text:
        return "action_default_ask_affirmation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        ranking = [i["name"] for i in tracker.latest_message.get("intent_ranking", []) if i["name"] in TOPICS]
        lang = language(tracker)
        if not ranking:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        intent = ranking[0]
        dispatcher.utter_message(response="utter_ask_affirmation", topic_label=TOPICS[intent][lang], intent=intent)
        return []
