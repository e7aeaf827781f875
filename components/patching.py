"""Our patches of Rasa internals name the Rasa version they were written and tested for."""
import rasa

WRITTEN_FOR_RASA = "3.6.21"


def require_written_for_this_rasa(patch: str) -> None:
    """Refuses to install a patch on a Rasa it was not checked against."""
    if rasa.__version__ != WRITTEN_FOR_RASA:
        raise RuntimeError(
            f"{patch} patches Rasa {WRITTEN_FOR_RASA} internals, but Rasa {rasa.__version__} is "
            "installed: check the patch against this version before using it."
        )
