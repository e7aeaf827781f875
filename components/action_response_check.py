"""Checks action server responses with one prebuilt validator instead of a new one per call.

Rasa 3.6.21 checks every response of the action server with ``jsonschema.validate``,
which with the pinned jsonschema 4.17 first re-validates the response schema itself
against the JSON Schema 2020-12 meta-schema: about 29 ms of CPU per action call, a
quarter of the Rasa server's time per turn in ``scripts/benchmark.py``. The schema is
a constant, so it is checked once here; every response is still validated against it
and an invalid one is still refused with the same error as before.

``install()`` runs when the ``components`` package is imported, i.e. in every Rasa
process that loads our model (``rasa run``, ``rasa test``, ``rasa shell``).
"""
from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

from components.patching import require_written_for_this_rasa


@lru_cache(maxsize=1)
def _response_validator():
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(_action: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Same contract as ``RemoteAction._validate_action_result``: True, or ValidationError."""
    error = best_match(_response_validator().iter_errors(result))  # as jsonschema.validate
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your "
        "response from the Action endpoint is valid. For more information about "
        f"the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    require_written_for_this_rasa("components.action_response_check (RemoteAction._validate_action_result)")
    RemoteAction._validate_action_result = validate_action_result
