"""Each staff endpoint admits only its roles: another staff role gets 403 `forbidden_role`,
a customer or nobody 401. The table below must name every staff endpoint of the app."""

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from app.api.responses import _calls
from app.api.deps import current_agent
from app.models.handoff import STAFF_ROLES
from tests.conftest import STAFF, customer_headers, staff_headers

API = "/api/v1"
# (method, path, roles admitted, JSON body)
STAFF_ENDPOINTS = [
    ("GET", "/agent/handoffs", {"agent"}, None),
    ("POST", "/agent/handoffs/1/claim", {"agent"}, None),
    ("GET", "/agent/handoffs/1/transcript", {"agent"}, None),
    ("POST", "/agent/handoffs/1/messages", {"agent"}, {"text": "hi"}),
    ("POST", "/agent/handoffs/1/handback", {"agent"}, None),
    ("POST", "/agent/handoffs/1/close", {"agent"}, None),
    ("GET", "/review/appeals", {"reviewer"}, None),
    ("GET", "/review/appeals/AP-20260101-0001", {"reviewer"}, None),
    ("GET", "/review/appeals/AP-20260101-0001/materials/1/file", {"reviewer"}, None),
    ("POST", "/review/appeals/AP-20260101-0001/decision", {"reviewer"}, {"outcome": "approved", "note": "ok"}),
    ("GET", "/operations/incidents", {"operations"}, None),
    ("POST", "/operations/incidents", {"operations"}, {
        "product": "jiebei", "service": "jiebei-risk-control", "title_zh": "维护", "title_en": "Maintenance",
        "expected_end": "2099-01-01T00:00:00+00:00"}),
    ("PATCH", "/operations/incidents/1", {"operations"}, {"expected_end": "2099-01-01T00:00:00+00:00"}),
    ("POST", "/operations/incidents/1/close", {"operations"}, None),
    ("GET", "/staff/figures", set(STAFF_ROLES), None),
    ("GET", "/staff/unknown-messages", set(STAFF_ROLES), None),
    ("GET", "/staff/unknown-messages/export", set(STAFF_ROLES), None),
]


def route_key(method: str, path: str) -> tuple[str, str]:
    return method, "/".join("{}" if part.isdigit() or part.startswith(("{", "AP-")) else part for part in path.split("/"))


def test_the_table_names_every_staff_endpoint(app):
    staff_routes = {
        route_key(method, route.path_format.removeprefix(API))
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, APIRoute) and current_agent in set(_calls(route.dependant))
        for method in route.methods
    }
    assert staff_routes == {route_key(method, path) for method, path, _roles, _body in STAFF_ENDPOINTS}


@pytest.mark.parametrize(("method", "path", "roles", "body"), STAFF_ENDPOINTS, ids=lambda v: str(v))
def test_other_roles_get_403_and_customers_401(client, method, path, roles, body):
    for role in sorted(set(STAFF_ROLES) - roles):
        refused = client.request(method, f"{API}{path}", json=body, headers={**staff_headers(client, role), "Accept-Language": "en"})
        assert refused.status_code == 403, (role, refused.text)
        assert refused.json() == {"code": "forbidden_role", "message": "Your staff role may not use this."}
    as_customer = client.request(method, f"{API}{path}", json=body, headers=customer_headers(client, "emily"))
    assert as_customer.status_code == 401 and as_customer.json()["code"] == "token_invalid"
    nobody = client.request(method, f"{API}{path}", json=body)
    assert nobody.status_code == 401 and nobody.json()["code"] == "token_missing"
    for role in roles:  # the admitted role gets past the check (to whatever the data says)
        allowed = client.request(method, f"{API}{path}", json=body, headers=staff_headers(client, role))
        assert allowed.status_code not in (401, 403), (role, allowed.text)


def test_each_demo_staff_member_logs_in_with_their_role(client):
    for role, (username, _password) in STAFF.items():
        login = client.post(f"{API}/agent/login", json={"username": username, "password": STAFF[role][1]})
        assert login.status_code == 200
        assert login.json()["agent"]["role"] == role and login.json()["agent"]["username"] == username
    wrong = client.post(f"{API}/agent/login", json={"username": "xiaochen", "password": STAFF["agent"][1]})
    assert wrong.status_code == 401  # one role's password does not open another's account
