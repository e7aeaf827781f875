"""Figures and the messages the bot did not understand, for every staff role."""

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.api.deps import DbDep, StaffDep
from app.api.responses import error_responses
from app.core.db import utcnow
from app.errors import ApiError
from app.schemas.figures import FiguresOut, UnknownMessagesOut
from app.services import figures as figures_service
from app.services import unknown
from app.services.tracker import TrackerReader

router = APIRouter(prefix="/staff", tags=["staff"])
DEFAULT_DAYS = 7
MAX_GROUPS = 500


def get_tracker(request: Request) -> TrackerReader:
    return request.app.state.tracker


TrackerDep = Annotated[TrackerReader, Depends(get_tracker)]


DAY = r"^\d{4}-\d{2}-\d{2}$"


def _day(value: str | None, name: str) -> date | None:
    """YYYY-MM-DD only: pydantic alone would also take a number as a Unix time."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        error = {"loc": ["query", name], "msg": "not a calendar day (YYYY-MM-DD)", "type": "date_parsing"}
        raise ApiError(422, "validation_error", extra={"errors": [error]}) from None


class DayRange:
    """?from=&to= (UTC days, both included); the last 7 days up to today by default."""

    def __init__(
        self,
        from_: Annotated[
            str | None,
            Query(alias="from", pattern=DAY, description="first UTC day (YYYY-MM-DD)", json_schema_extra={"format": "date"}),
        ] = None,
        to: Annotated[
            str | None,
            Query(pattern=DAY, description="last UTC day, included (YYYY-MM-DD)", json_schema_extra={"format": "date"}),
        ] = None,
    ) -> None:
        first, last = _day(from_, "from"), _day(to, "to")
        try:
            self.to = last or (first + timedelta(days=DEFAULT_DAYS - 1) if first else utcnow().date())
            self.start = first or self.to - timedelta(days=DEFAULT_DAYS - 1)
            self.bounds = figures_service.day_range(self.start, self.to)
        except OverflowError:  # around year 1 or 9999
            raise ApiError(422, "date_range_invalid", extra={"max_days": figures_service.MAX_DAYS}) from None


RangeDep = Annotated[DayRange, Depends()]


@router.get("/figures", response_model=FiguresOut, responses=error_responses(401, 422, 503))
def figures(staff: StaffDep, db: DbDep, tracker: TrackerDep, days: RangeDep) -> dict:
    """Conversations, containment, handoffs and waits, causes, appeals, fallback rate and
    satisfaction. 422 `date_range_invalid` for a reversed range or one over 366 days; 503
    `tracker_unavailable` when Rasa's tracker store cannot be read."""
    return figures_service.figures(db, tracker, days.start, days.to)


@router.get("/unknown-messages", response_model=UnknownMessagesOut, responses=error_responses(401, 422, 503))
def unknown_messages(
    staff: StaffDep,
    tracker: TrackerDep,
    days: RangeDep,
    limit: Annotated[int, Query(ge=1, le=MAX_GROUPS, description="most groups returned")] = 100,
) -> dict:
    """User messages that ended in the fallback or scored below the threshold, grouped by
    similarity, newest group first. Texts only, never metadata or conversation ids."""
    found = unknown.groups(tracker, *days.bounds)
    return {
        "from": days.start,
        "to": days.to,
        "messages": sum(g.count for g in found),
        "groups": [
            {"text": g.examples[0], "count": g.count, "last_at": g.last_at, "examples": g.examples} for g in found[:limit]
        ],
    }


@router.get(
    "/unknown-messages/export",
    response_class=Response,  # errors stay JSON in the schema; the 200 is YAML
    responses={
        200: {
            "description": "Rasa NLU training data (YAML)",
            "content": {
                "application/yaml": {
                    "schema": {
                        "type": "object",
                        "required": ["version", "nlu"],
                        "properties": {"version": {"type": "string", "enum": ["3.1"]}, "nlu": {"type": "array"}},
                    }
                }
            },
        },
        **error_responses(401, 422, 503),
    },
)
def export_unknown_messages(staff: StaffDep, tracker: TrackerDep, days: RangeDep) -> Response:
    """Every group as an intent block `TODO_label_<n>` of Rasa NLU YAML (version 3.1), to be
    renamed and moved into data/nlu."""
    text = unknown.as_nlu_yaml(unknown.groups(tracker, *days.bounds), days.start, days.to)
    name = f"unknown-messages-{days.start}-{days.to}.yml"
    return Response(
        text, media_type="application/yaml", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
