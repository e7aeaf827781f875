"""Appeals: which materials, filing (exactly once), status, and uploading materials."""
import uuid
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.account import say_open_appeal, say_required_materials, say_retry_date
from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.common import AccountAction, Context, ask_which_product
from actions.identity import session_token
from actions.wording import APPEAL_STATUS, format_time, join_items, label, language, material_names


def open_appeal(context: Context) -> Optional[Dict[str, Any]]:
    """The user's latest appeal still in progress, preferring the product in question."""
    appeals = [a for a in context.client.appeals(context.token, context.lang) if a["open"]]
    product = context.tracker.get_slot("product")
    appeals.sort(key=lambda a: (a["product"] == product, a["created_at"]), reverse=True)
    return appeals[0] if appeals else None


def missing_materials(appeal: Dict[str, Any]) -> List[Dict[str, Any]]:
    uploaded = {m["kind"] for m in appeal.get("materials", [])}
    return [m for m in appeal.get("required_materials", []) if m["kind"] not in uploaded]


def offer_upload(context: Context, appeal: Dict[str, Any]) -> None:
    """Tells what to upload and makes the widget show its upload control for this appeal."""
    wanted = missing_materials(appeal) or appeal.get("required_materials", [])
    context.dispatcher.utter_message(
        response="utter_upload_materials", number=appeal["number"], materials=material_names(wanted, context.lang)
    )
    context.dispatcher.utter_message(json_message={"upload": {"appeal_number": appeal["number"], "kinds": wanted}})


class ActionListRequiredMaterials(AccountAction):
    def name(self) -> Text:
        return "action_list_required_materials"

    def serve(self, context: Context) -> List[EventType]:
        appeal = open_appeal(context)
        if appeal:
            materials = missing_materials(appeal) or appeal.get("required_materials", [])
        else:
            diagnosis = context.client.diagnosis(context.token, context.lang, product=context.tracker.get_slot("product"))
            materials = diagnosis.get("required_materials", [])
        if materials:
            say_required_materials(context, materials)
        else:
            context.dispatcher.utter_message(response="utter_no_materials_needed")
        return []


class ActionPrepareAppeal(AccountAction):
    """Checks that an appeal can change the decision before asking for a statement."""

    def name(self) -> Text:
        return "action_prepare_appeal"

    def serve(self, context: Context) -> List[EventType]:
        dispatcher, lang = context.dispatcher, context.lang
        named = context.tracker.get_slot("product")
        diagnosis = context.client.diagnosis(context.token, lang, product=named)
        if diagnosis["ask_product"]:
            return ask_which_product(context, self.name())
        accounts = diagnosis["accounts"]
        if not named and not any(a["has_problem"] for a in accounts):  # no refusal on any product
            dispatcher.utter_message(response="utter_nothing_to_appeal", product_name=join_items(
                [a["product_name"] for a in accounts], lang))
            return []
        product, product_name = diagnosis["product"], diagnosis["product_name"]
        reason = diagnosis.get("blocking_reason")
        appeal = diagnosis.get("open_appeal")
        if appeal:
            say_open_appeal(context, appeal, product_name)
            return [SlotSet("product", product)]
        if not reason:
            dispatcher.utter_message(response="utter_nothing_to_appeal", product_name=product_name)
            return [SlotSet("product", product)]
        if not diagnosis.get("appealable"):
            dispatcher.utter_message(
                response="utter_not_appealable", product_name=product_name, title=reason["title"], remedy=reason["remedy"]
            )
            say_retry_date(context, diagnosis)
            return [SlotSet("product", product)]
        dispatcher.utter_message(response="utter_appeal_intro", product_name=product_name, title=reason["title"])
        say_required_materials(context, diagnosis.get("required_materials", []))
        return [
            SlotSet("product", product), SlotSet("appeal_possible", True),
            SlotSet("statement", None), SlotSet("appeal_confirmed", None),
        ]


class ValidateAppealForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_appeal_form"

    def validate_statement(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The backend's rule for a statement decides, before the user is asked to confirm; its
        refusal comes worded in the user's language."""
        if value is None:  # the slot was only cleared, nothing was typed
            return {"statement": None}
        statement = value.strip() if isinstance(value, str) else ""
        try:
            BackendClient().check_statement(session_token(tracker), language(tracker), statement)
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return {"statement": None}
        except BackendError as error:
            dispatcher.utter_message(text=error.body.get("message") or error.code)
            return {"statement": None}
        return {"statement": statement}


def idempotency_key(tracker: Tracker) -> str:
    """Stable across Rasa's retries of this action: the conversation and the confirming message."""
    confirming = next((e for e in reversed(tracker.events) if e.get("event") == "user"), {})
    seed = f"{tracker.sender_id}:{confirming.get('timestamp')}:{confirming.get('message_id')}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


class ActionSubmitAppeal(AccountAction):
    """Files the confirmed appeal once; the user always learns whether it was filed."""

    def name(self) -> Text:
        return "action_submit_appeal"

    def serve(self, context: Context) -> List[EventType]:
        dispatcher, tracker, lang = context.dispatcher, context.tracker, context.lang
        reset = [SlotSet("statement", None), SlotSet("appeal_confirmed", None)]
        if tracker.get_slot("appeal_confirmed") is not True:
            dispatcher.utter_message(response="utter_appeal_not_filed")
            return reset
        key = idempotency_key(tracker)
        product, statement = tracker.get_slot("product"), tracker.get_slot("statement")
        appeal = None
        for _attempt in range(2):  # the same key makes a retry safe
            try:
                appeal = context.client.create_appeal(context.token, lang, product, statement, key, tracker.sender_id)
                break
            except BackendUnavailable:
                continue
            except BackendError as error:
                return reset + self._refused(context, error, product)
        if appeal is None:
            dispatcher.utter_message(response="utter_appeal_failed")
            return reset
        dispatcher.utter_message(response="utter_appeal_filed", number=appeal["number"], review_time=appeal["review_time"])
        offer_upload(context, appeal)
        return reset

    @staticmethod
    def _refused(context: Context, error: BackendError, product: str) -> List[EventType]:
        if error.code == "appeal_already_open":
            appeal = open_appeal(context)
            if appeal:
                say_open_appeal(context, appeal, appeal["product_name"])
                return []
        context.dispatcher.utter_message(response="utter_appeal_failed")
        return []


class ActionCheckAppealStatus(AccountAction):
    def name(self) -> Text:
        return "action_check_appeal_status"

    def serve(self, context: Context) -> List[EventType]:
        appeals = sorted(context.client.appeals(context.token, context.lang), key=lambda a: a["created_at"], reverse=True)
        if not appeals:
            context.dispatcher.utter_message(response="utter_no_appeals")
        for appeal in appeals[:3]:
            timeline = appeal.get("timeline") or [{"at": appeal["created_at"]}]
            context.dispatcher.utter_message(
                response="utter_appeal_status", number=appeal["number"],
                product_name=appeal["product_name"],
                status=label(APPEAL_STATUS, appeal["status"], context.lang),
                updated=format_time(timeline[-1]["at"], context.lang),
            )
        return []


class ActionExplainMaterialUpload(AccountAction):
    def name(self) -> Text:
        return "action_explain_material_upload"

    def serve(self, context: Context) -> List[EventType]:
        appeal = open_appeal(context)
        if not appeal:
            # "what do I upload" right after a diagnosis that named materials: name them, then
            # say they go with an appeal
            diagnosis = context.client.diagnosis(context.token, context.lang, product=context.tracker.get_slot("product"))
            say_required_materials(context, diagnosis.get("required_materials", []))
            context.dispatcher.utter_message(response="utter_no_open_appeal")
            return []
        offer_upload(context, appeal)
        return []


class ActionConfirmMaterials(AccountAction):
    """Answers the widget's note that files were uploaded: what arrived, what is missing."""

    def name(self) -> Text:
        return "action_confirm_materials"

    def serve(self, context: Context) -> List[EventType]:
        dispatcher, lang = context.dispatcher, context.lang
        appeal = open_appeal(context)
        if not appeal:
            dispatcher.utter_message(response="utter_no_open_appeal")
            return []
        names = {m["kind"]: m["name"] for m in appeal.get("required_materials", [])}
        brackets = "（{}）" if lang == "zh" else " ({})"
        received = [
            names.get(m["kind"], m["kind"]) + brackets.format(m["file_name"]) for m in appeal.get("materials", [])
        ]
        if received:
            dispatcher.utter_message(response="utter_materials_received", number=appeal["number"],
                                     received=join_items(received, lang))
        missing = missing_materials(appeal)
        if missing:
            dispatcher.utter_message(response="utter_materials_missing", missing=material_names(missing, lang))
        else:
            dispatcher.utter_message(response="utter_materials_complete")
        return []
