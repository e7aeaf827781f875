"""Account status, the diagnosis of a complaint, and how to qualify.

Which product and which cause to talk about is the backend's diagnosis (the product named,
or the only one with a problem, or a question which one); these actions only say it.
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk.events import EventType, SlotSet

from actions.common import AccountAction, Context, ask_which_product
from actions.wording import ACCOUNT_STATUS, APPEAL_STATUS, describe_accounts, format_time, join_items, label, material_names


def say_no_problem(context: Context, accounts: List[Dict[str, Any]], about: Optional[Dict[str, Any]] = None) -> None:
    """Nothing blocks what the user asked about: says so for the product `about` diagnoses (or
    the login), and names any other product that does have a problem, never calling a
    refusal "no problem"."""
    dispatcher, lang = context.dispatcher, context.lang
    product = about["product"] if about else None
    others = [a for a in accounts if a["has_problem"] and a["product"] != product]
    if product:
        if about["status"] == "not_opened":
            dispatcher.utter_message(response="utter_product_not_opened", product_name=about["product_name"])
        else:
            dispatcher.utter_message(
                response="utter_product_no_problem", product_name=about["product_name"],
                status=label(ACCOUNT_STATUS, about["status"], lang),
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


def open_incidents(diagnosis: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [i for i in diagnosis.get("incidents", []) if i.get("status") == "open"]


def say_incident(context: Context, incident: Dict[str, Any]) -> None:
    """A known outage and when it is expected to end."""
    context.dispatcher.utter_message(
        response="utter_incident", title=incident["title"], expected_end=format_time(incident.get("expected_end"), context.lang)
    )


def explain_diagnosis(context: Context, diagnosis: Dict[str, Any]) -> List[EventType]:
    """Tells the cause that blocks the user now, what to do, and the other causes on record."""
    dispatcher, lang = context.dispatcher, context.lang
    reason = diagnosis.get("blocking_reason")
    if not reason:
        say_no_problem(context, diagnosis["accounts"], diagnosis)
        return [SlotSet("diagnosed_reason", None)]
    subject = diagnosis.get("product_name") or ("账户" if lang == "zh" else "your account")
    dispatcher.utter_message(
        response="utter_diagnosis_cause", subject=subject, title=reason["title"], explanation=reason["explanation"]
    )
    outages = open_incidents(diagnosis)
    if reason["code"] == "SERVICE_OUTAGE" and outages:
        say_incident(context, outages[0])
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
        """Each product's status, and any outage that stops the user using one now (an
        "active" Jiebei is no use while its service is down)."""
        diagnosis = context.client.diagnosis(context.token, context.lang, conversation_id=context.tracker.sender_id)
        context.dispatcher.utter_message(
            response="utter_account_status", accounts=describe_accounts(diagnosis["accounts"], context.lang))
        for incident in open_incidents(diagnosis):
            say_incident(context, incident)
        return []


class ActionDiagnoseProblem(AccountAction):
    """Finds out from the backend why this user cannot log in, verify, or open a product."""

    def name(self) -> Text:
        return "action_diagnose_problem"

    def serve(self, context: Context) -> List[EventType]:
        tracker = context.tracker
        diagnosis = context.client.diagnosis(
            context.token, context.lang, product=tracker.get_slot("product"), topic=tracker.get_slot("topic"),
            conversation_id=tracker.sender_id)
        if diagnosis["ask_product"]:
            return ask_which_product(context, self.name())
        return explain_diagnosis(context, diagnosis)


class ActionExplainHowToQualify(AccountAction):
    """Concrete steps from the user's own reasons and retry dates, product by product."""

    def name(self) -> Text:
        return "action_explain_how_to_qualify"

    def serve(self, context: Context) -> List[EventType]:
        dispatcher, lang = context.dispatcher, context.lang
        named = context.tracker.get_slot("product")
        accounts = [] if named else context.client.accounts(context.token, lang)
        advised, events = False, []
        for product in [named] if named else [a["product"] for a in accounts]:
            diagnosis = context.client.diagnosis(context.token, lang, product=product)
            reason = diagnosis.get("blocking_reason")
            product_name = diagnosis["product_name"]
            if reason:
                # why it was refused comes first, the steps only make sense after it; unless
                # this conversation has just explained that cause ("when can I reapply" then)
                if context.tracker.get_slot("diagnosed_reason") != reason["code"]:
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
            if named:
                say_no_problem(context, diagnosis["accounts"], diagnosis)
            else:
                say_no_problem(context, accounts)
        return events
