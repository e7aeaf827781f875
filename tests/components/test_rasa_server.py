"""The Rasa launcher hands Rasa its API token whatever characters the token starts with,
and keeps the garbage collector off the loaded model."""
import pytest
from rasa.__main__ import create_argument_parser

from scripts.rasa_server import rasa_arguments


@pytest.mark.parametrize("token", ["-Ab3_x9", "--weird", "plain-token_1"])
def test_rasa_reads_the_token_even_when_it_starts_with_a_dash(token):
    """secrets.token_urlsafe gives a leading "-" about once in 64 tokens; Rasa refused to
    start then ("argument -t/--auth-token: expected one argument")."""
    parsed = create_argument_parser().parse_args(rasa_arguments(["run", "--enable-api"], token)[1:])
    assert parsed.auth_token == token


def test_the_server_keeps_the_collector_off_what_it_loaded_before_it_started(monkeypatch):
    import gc

    from scripts import rasa_server

    class RecordingApp:
        def __init__(self):
            self.listeners = []

        def register_listener(self, listener, event):
            self.listeners.append((listener, event))

    monkeypatch.setattr(rasa_server, "rasa_configure_app", lambda *args, **kwargs: RecordingApp())
    app = rasa_server.configure_app(enable_api=True)
    # after_server_start: Rasa loads the model in before_server_start
    assert app.listeners == [(rasa_server.freeze_loaded_objects, "after_server_start")]

    loaded = [{"weights": []} for _ in range(100)]  # stands for the model
    try:
        rasa_server.freeze_loaded_objects(app, None)
        assert gc.get_freeze_count() > 100
        assert not any(o is loaded[0] for o in gc.get_objects())  # no longer walked
    finally:
        gc.unfreeze()
    assert any(o is loaded[0] for o in gc.get_objects())
