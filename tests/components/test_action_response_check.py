"""The action server response check: same verdicts as Rasa's, without rebuilding the schema."""
import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import components  # noqa: F401  (installs the check, as loading our model does)
from components.action_response_check import validate_action_result


def remote_action() -> RemoteAction:
    return RemoteAction("action_check_account_status", None)


def test_rasa_uses_the_prebuilt_check():  # the public path: tests/components/test_action_guard.py
    assert RemoteAction._validate_action_result is validate_action_result


def test_a_valid_response_passes():
    response = {
        "events": [{"event": "slot", "name": "product", "value": "huabei", "timestamp": None}],
        "responses": [{"text": "您的花呗状态正常", "buttons": [{"title": "好的", "payload": "/affirm"}]}],
    }
    assert remote_action()._validate_action_result(response) is True


@pytest.mark.parametrize("response", [
    {"events": [{"name": "product"}]},  # an event without its type
    {"events": "slot product huabei"},
    {"responses": ["您的花呗状态正常"]},
    {"events": [{"event": "slot", "name": "product", "timestamp": "yesterday"}]},
])
def test_an_invalid_response_is_refused_with_the_error_rasa_would_give(response):
    with pytest.raises(ValidationError) as rasa_s:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response") as ours:
        remote_action()._validate_action_result(response)
    assert ours.value.message.startswith(rasa_s.value.message)
