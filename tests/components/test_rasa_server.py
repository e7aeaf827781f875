"""The Rasa launcher hands Rasa its API token whatever characters the token starts with."""
import pytest
from rasa.__main__ import create_argument_parser

from scripts.rasa_server import rasa_arguments


@pytest.mark.parametrize("token", ["-Ab3_x9", "--weird", "plain-token_1"])
def test_rasa_reads_the_token_even_when_it_starts_with_a_dash(token):
    """secrets.token_urlsafe gives a leading "-" about once in 64 tokens; Rasa refused to
    start then ("argument -t/--auth-token: expected one argument")."""
    parsed = create_argument_parser().parse_args(rasa_arguments(["run", "--enable-api"], token)[1:])
    assert parsed.auth_token == token
