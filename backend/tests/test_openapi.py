"""What the published schema promises about credentials, errors and accepted values."""

API = "/api/v1"


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_each_operation_names_the_credentials_it_checks(client):
    schema = client.get(f"{API}/openapi.json").json()
    security = {name: operation.get("security") for name, operation in operations(schema)}
    assert set(schema["components"]["securitySchemes"]) == {"CustomerBearer", "AgentBearer", "ServiceToken"}
    assert security["GET /api/v1/me/diagnosis"] == [{"CustomerBearer": []}]
    assert security["POST /api/v1/me/appeals/{number}/materials"] == [{"CustomerBearer": []}]
    assert security["GET /api/v1/agent/handoffs"] == [{"AgentBearer": []}]
    assert security["POST /api/v1/identity/otp/send"] == [{"ServiceToken": []}]
    # both the service token and, when the user is verified, their token; never either alone
    assert security["POST /api/v1/handoffs"] == [{"ServiceToken": [], "CustomerBearer": []}, {"ServiceToken": []}]
    assert security["GET /api/v1/reasons"] is None and security["GET /api/v1/health"] is None
    for name, operation in operations(schema):
        if operation.get("security"):
            assert "401" in operation["responses"], name


def test_every_error_answer_is_documented_in_the_error_shape(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for name, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert response["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorOut"
                }, (name, status)


def test_values_the_server_checks_are_enums(client):
    schema = client.get(f"{API}/openapi.json").json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"][f"{API}/me/diagnosis"]["get"]["parameters"]}
    assert parameters["product"]["anyOf"][0]["enum"] == ["huabei", "jiebei"]
    assert parameters["topic"]["anyOf"][0]["enum"] == ["login", "verification", "service", "application"]
    assert parameters["lang"]["anyOf"][0]["enum"] == ["zh", "en"]
    components = schema["components"]["schemas"]
    assert components["AppealIn"]["properties"]["product"]["enum"] == ["huabei", "jiebei"]
    assert components["AccountOut"]["properties"]["status"]["enum"] == [
        "active", "not_opened", "refused", "under_review", "suspended",
    ]  # fmt: skip
    assert components["AppealOut"]["properties"]["status"]["enum"] == ["submitted", "in_review", "approved", "rejected"]
