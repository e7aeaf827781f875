"""Runs the `rasa` command with ``--auth-token`` taken from RASA_API_TOKEN, and keeps
Python's garbage collector off the loaded model.

Given on the command line, the token would be readable by every user of the machine in
the process list (/proc/<pid>/cmdline); here it only travels in the environment. Usage
as `rasa`: ``python scripts/rasa_server.py run --enable-api ...``.

A loaded Rasa server holds about 520,000 Python objects (TensorFlow, the model, the
domain) that live as long as it does, and each full collection walked all of them:
0.23-0.29 s with every request waiting, several times a minute under load, about 0.7 ms
per message on average (measured with ``gc.callbacks`` under ``scripts/benchmark.py``'s
short load; issue 11). Once the model is loaded they are moved out of the collector's
reach (``gc.freeze``); what the server creates afterwards is collected as before. A
model replaced later through the HTTP API stays in memory with the first one.
"""
import gc
import os
import sys
from typing import List

import rasa.core.run
from rasa.__main__ import main

rasa_configure_app = rasa.core.run.configure_app


def freeze_loaded_objects(_app, _loop) -> None:
    gc.collect()  # what is garbage now would otherwise be kept for good
    gc.freeze()


def configure_app(*args, **kwargs):
    """Rasa's app, which loads the model before the server starts, then freezes it."""
    app = rasa_configure_app(*args, **kwargs)
    app.register_listener(freeze_loaded_objects, "after_server_start")
    return app


def rasa_arguments(arguments: List[str], token: str) -> List[str]:
    """The command line with the token attached by "=": a URL-safe token may start with "-",
    which argparse would take for an option if it came as an argument of its own."""
    return ["rasa", *arguments, f"--auth-token={token}"]


if __name__ == "__main__":
    token = os.environ.get("RASA_API_TOKEN")
    if not token:
        sys.exit("RASA_API_TOKEN is not set: the Rasa HTTP API would be open without it.")
    sys.argv = rasa_arguments(sys.argv[1:], token)
    rasa.core.run.configure_app = configure_app
    main()
