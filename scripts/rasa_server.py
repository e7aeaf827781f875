"""Runs the `rasa` command with ``--auth-token`` taken from RASA_API_TOKEN.

Given on the command line, the token would be readable by every user of the machine in
the process list (/proc/<pid>/cmdline); here it only travels in the environment. Usage
as `rasa`: ``python scripts/rasa_server.py run --enable-api ...``.
"""
import os
import sys
from typing import List

from rasa.__main__ import main


def rasa_arguments(arguments: List[str], token: str) -> List[str]:
    """The command line with the token attached by "=": a URL-safe token may start with "-",
    which argparse would take for an option if it came as an argument of its own."""
    return ["rasa", *arguments, f"--auth-token={token}"]


if __name__ == "__main__":
    token = os.environ.get("RASA_API_TOKEN")
    if not token:
        sys.exit("RASA_API_TOKEN is not set: the Rasa HTTP API would be open without it.")
    sys.argv = rasa_arguments(sys.argv[1:], token)
    main()
