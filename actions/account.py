"""Account status, the diagnosis of a complaint, and how to qualify."""
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk.events import EventType, SlotSet

from actions.common import AccountAction, Context
from actions.wording import ACCOUNT_STATUS, APPEAL_STATUS, PRODUCT_NAME, describe_accounts, format_time, join_items, label, material_names

PROBLEM_STATUSES = {"refused", "under_review", "suspended"}


def pick_product(context: Context) -> Tuple[Optional[str], List[Dict[str, Any]]]:
    """The product the user means: named in the conversation, or the only one with a problem.

    Returns it with the accounts read to decide (none when the product was named); the
    product is None when no account, or more than one, has a problem.
    """
    product = context.tracker.get_slot("product")
    if product:
        return product, []
    accounts = context.client.accounts(context.token, context.lang)
    troubled = [a["product"] for a in accounts if a["status"] in PROBLEM_STATUSES]
    return (troubled[0] if len(troubled) == 1 else None), accounts


def needs_product_question(accounts: List[Dict[str, Any]]) -> bool:
    """Whether several products have a problem, so the user must say which one."""
    return sum(a["status"] in PROBLEM_STATUSES for a in accounts) > 1


def ask_which_product(context: Context, action_name: Text) -> List[EventType]:
    context.dispatcher.utter_message(response="utter_ask_which_product")
    return [SlotSet("pending_request", action_name)]


def say_no_problem(
    context: Context, product: Optional[str] = None, accounts: Optional[List[Dict[str, Any]]] = None
) -> None:
    """Nothing blocks what the user asked about: says so for that product (or the login), and
    names any other product that does have a problem, never calling a refusal "no problem".
    `accounts`: the user's accounts when already read this turn."""
    dispatcher, lang = context.dispatcher, context.lang
    accounts = accounts or context.client.accounts(context.token, lang)
    others = [a for a in accounts if a["status"] in PROBLEM_STATUSES and a["product"] != product]
    if product:
        status = next((a["status"] for a in accounts if a["product"] == product), "not_opened")
        product_name = label(PRODUCT_NAME, product, lang)
        if status == "not_opened":
            dispatcher.utter_message(response="utter_product_not_opened", product_name=product_name)
        else:
            dispatcher.utter_message(
                response="utter_product_no_problem", product_name=product_name, status=label(ACCOUNT_STATUS, status, lang)
            )
    elif others:
        dispatcher.utter_message(response="utter_no_failed_attempts")
    else:
        dispatcher.utter_message(response="utter_no_problem_found", accounts=describe_accounts(accounts, lang))
    if others:
        dispatcher.utter_message(response="utter_other_products_with_problems", accounts=describe_accounts(others, lang))


def say_retry_date(context: Context, diagnosis: Dict[str, Any]) -> None:
    if diagnosis.get("retry_after"):
        context.dispatcher.utter_message(
            response="utter_retry_after", date=format_time(diagnosis["retry_after"], context.lang, with_time=False)
        )


def say_required_materials(context: Context, materials: List[Dict[str, Any]]) -> None:
    if materials:
        context.dispatcher.utter_message(
            response="utter_required_materials", materials=material_names(materials, context.lang)
        )


def say_open_appeal(context: Context, appeal: Dict[str, Any], product_name: str) -> None:
    context.dispatcher.utter_message(
        response="utter_appeal_already_open", product_name=product_name, number=appeal["number"],
        status=label(APPEAL_STATUS, appeal.get("status"), context.lang),
    )


def explain_diagnosis(
    context: Context, diagnosis: Dict[str, Any], accounts: Optional[List[Dict[str, Any]]] = None
) -> List[EventType]:
    """Tells the cause that blocks the user now, what to do, and the other causes on record."""
    dispatcher, lang = context.dispatcher, context.lang
    reason = diagnosis.get("blocking_reason")
    if not reason:
        say_no_problem(context, diagnosis.get("product"), accounts)
        return [SlotSet("diagnosed_reason", None)]
    subject = diagnosis.get("product_name") or ("账户" if lang == "zh" else "your account")
    dispatcher.utter_message(
        response="utter_diagnosis_cause", subject=subject, title=reason["title"], explanation=reason["explanation"]
    )
    open_incidents = [i for i in diagnosis.get("incidents", []) if i.get("status") == "open"]
    if reason["code"] == "SERVICE_OUTAGE" and open_incidents:
        incident = open_incidents[0]
        dispatcher.utter_message(
            response="utter_incident", title=incident["title"], expected_end=format_time(incident.get("expected_end"), lang)
        )
    else:
        dispatcher.utter_message(response="utter_diagnosis_remedy", remedy=reason["remedy"])
    say_retry_date(context, diagnosis)
    say_required_materials(context, diagnosis.get("required_materials", []))
    others = [r["title"] for r in diagnosis.get("other_reasons", []) if r["code"] != reason["code"]]
    if others:
        dispatcher.utter_message(response="utter_other_reasons", reasons=join_items(others, lang))
    appeal = diagnosis.get("open_appeal")
    if appeal:
        say_open_appeal(context, appeal, subject)
    elif diagnosis.get("appealable"):
        dispatcher.utter_message(response="utter_offer_appeal")
    events: List[EventType] = [SlotSet("diagnosed_reason", reason["code"])]
    if diagnosis.get("product"):
        events.append(SlotSet("product", diagnosis["product"]))
    return events


class ActionCheckAccountStatus(AccountAction):
    def name(self) -> Text:
        return "action_check_account_status"

    def serve(self, context: Context) -> List[EventType]:
        accounts = context.client.accounts(context.token, context.lang)
        context.dispatcher.utter_message(response="utter_account_status", accounts=describe_accounts(accounts, context.lang))
        return []


class ActionDiagnoseProblem(AccountAction):
    """Finds out from the backend why this user cannot log in, verify, or open a product."""

    def name(self) -> Text:
        return "action_diagnose_problem"

    def serve(self, context: Context) -> List[EventType]:
        topic = context.tracker.get_slot("topic")
        product, accounts = context.tracker.get_slot("product"), []
        if not product and topic in (None, "application"):
            product, accounts = pick_product(context)
            if not product and needs_product_question(accounts):
                return ask_which_product(context, self.name())
        diagnosis = context.client.diagnosis(
            context.token, context.lang, product=product, topic=topic, conversation_id=context.tracker.sender_id)
        return explain_diagnosis(context, diagnosis, accounts)


class ActionExplainHowToQualify(AccountAction):
    """Concrete steps from the user's own reasons and retry dates, product by product."""

    def name(self) -> Text:
        return "action_explain_how_to_qualify"

    def serve(self, context: Context) -> List[EventType]:
        dispatcher, lang = context.dispatcher, context.lang
        named = context.tracker.get_slot("product")
        advised, events = False, []
        for product in [named] if named else list(PRODUCT_NAME):
            diagnosis = context.client.diagnosis(context.token, lang, product=product)
            reason = diagnosis.get("blocking_reason")
            product_name = diagnosis.get("product_name") or label(PRODUCT_NAME, product, lang)
            if reason:  # why it was refused comes first: the steps only make sense after it
                dispatcher.utter_message(response="utter_qualify_cause", product_name=product_name, title=reason["title"])
                dispatcher.utter_message(response="utter_how_to_qualify", product_name=product_name, remedy=reason["remedy"])
                say_required_materials(context, diagnosis.get("required_materials", []))
                say_retry_date(context, diagnosis)
                advised = True
                if named:  # follow-up questions are about this cause
                    events.append(SlotSet("diagnosed_reason", reason["code"]))
            elif diagnosis.get("status") == "active":
                dispatcher.utter_message(response="utter_already_qualified", product_name=product_name)
                advised = True
        if not advised:
            say_no_problem(context, named)
        return events
