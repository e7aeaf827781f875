"""Operations: open an incident, move its expected end, close it (the customers told about it hear it ended)."""

from fastapi import APIRouter

from app.api.deps import DbDep, LangDep, OperationsDep, SettingsDep
from app.api.present import Presenter
from app.api.responses import error_responses
from app.models import Incident
from app.schemas.staff import IncidentEndIn, IncidentIn, StaffIncidentOut
from app.services import incidents
from app.services.rasa import RasaClient

router = APIRouter(prefix="/operations", tags=["operations"])


def incident_out(db, incident: Incident, lang: str) -> StaffIncidentOut:
    told, notified = incidents.counts(db, incident.id)
    return StaffIncidentOut(
        **Presenter(db, lang).incident(incident).model_dump(),
        title_zh=incident.title_zh,
        title_en=incident.title_en,
        closed_at=incident.closed_at,
        conversations_told=told,
        conversations_notified=notified,
    )


@router.get("/incidents", response_model=list[StaffIncidentOut], responses=error_responses(401, 403, 422))
def list_incidents(staff: OperationsDep, db: DbDep, lang: LangDep) -> list[StaffIncidentOut]:
    """Open ones first, then the newest."""
    return [incident_out(db, i, lang) for i in incidents.list_incidents(db)]


@router.post(
    "/incidents", response_model=StaffIncidentOut, status_code=201, responses=error_responses(401, 403, 404, 422)
)
def open_incident(body: IncidentIn, staff: OperationsDep, db: DbDep, lang: LangDep) -> StaffIncidentOut:
    """An outage (reason SERVICE_OUTAGE) of a product's service: the bot explains it from the
    customer's next question on."""
    incident = incidents.open_incident(db, body.product, body.service, body.title_zh, body.title_en, body.expected_end)
    return incident_out(db, incident, lang)


@router.patch(
    "/incidents/{incident_id}", response_model=StaffIncidentOut, responses=error_responses(401, 403, 404, 409, 422)
)
def update_expected_end(incident_id: int, body: IncidentEndIn, staff: OperationsDep, db: DbDep, lang: LangDep) -> StaffIncidentOut:
    return incident_out(db, incidents.set_expected_end(db, incident_id, body.expected_end), lang)


@router.post(
    "/incidents/{incident_id}/close",
    response_model=StaffIncidentOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def close_incident(incident_id: int, staff: OperationsDep, db: DbDep, lang: LangDep, settings: SettingsDep) -> StaffIncidentOut:
    """Once (409 `incident_closed` after). The conversations the bot explained it to get a
    message in their language; one Rasa cannot reach stays counted as not notified."""
    incident = incidents.close_incident(db, incident_id)
    incidents.notify_ended(db, incident, RasaClient(settings))
    return incident_out(db, incident, lang)
