"""User messages the bot did not understand, grouped so that a maintainer labels each kind
once. Grouping is simple and deterministic: texts are normalized (NFKC, lower case, only
letters and digits), compared by the Jaccard similarity of their character bigrams, and a
message joins the first group (newest first) whose newest text is similar enough."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from app.services.tracker import TrackerReader

SIMILARITY = 0.5
MAX_EXAMPLES = 10
NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    return NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def bigrams(normalized: str) -> frozenset[str]:
    compact = normalized.replace(" ", "")
    if len(compact) < 2:
        return frozenset([compact])
    return frozenset(compact[i : i + 2] for i in range(len(compact) - 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


@dataclass
class Group:
    key: frozenset[str]
    last_at: datetime
    count: int = 0
    examples: list[str] = field(default_factory=list)
    normalized: set[str] = field(default_factory=set)

    def add(self, text: str) -> None:
        self.count += 1
        norm = normalize(text)
        if norm not in self.normalized and len(self.examples) < MAX_EXAMPLES:
            self.normalized.add(norm)
            self.examples.append(" ".join(text.split()))  # one line, as NLU examples are


def groups(tracker: TrackerReader, start: datetime, end: datetime) -> list[Group]:
    """Newest group first; in a group, examples newest first and distinct after normalizing."""
    messages = [
        m for c in tracker.conversations(start, end) for m in c.messages if m.typed and m.not_understood and m.text.strip()
    ]
    messages.sort(key=lambda m: m.at, reverse=True)
    found: list[Group] = []
    for message in messages:
        key = bigrams(normalize(message.text))
        group = next((g for g in found if jaccard(g.key, key) >= SIMILARITY), None)
        if group is None:
            group = Group(key=key, last_at=message.at)
            found.append(group)
        group.add(message.text)
    return found


ANNOTATION = re.compile(r"\](?=[(\[{])")


def _yaml_line(text: str) -> str:
    """An example line inside a literal block (line breaks are already gone). A user's "[a](b)"
    would read as an entity annotation to Rasa: a space after the "]" keeps it plain text."""
    return f"    - {ANNOTATION.sub('] ', text)}"


def as_nlu_yaml(found: list[Group], first_day: date, last_day: date) -> str:
    """Rasa NLU training data (version 3.1): one intent block per group, named TODO_label_<n>;
    rename each to the right intent (or drop it) before moving it into data/nlu."""
    lines = [
        f"# Messages the bot did not understand, {first_day} to {last_day} (UTC days).",
        "# Rename every TODO_label_<n> to an intent of domain.yml (or delete the block), then move it",
        "# into data/nlu/ and run `rasa data validate`.",
        'version: "3.1"',
        "nlu:",
    ]
    for number, group in enumerate(found, start=1):
        lines += [
            f"# {group.count} message(s), last {group.last_at.isoformat(timespec='seconds')}",
            f"- intent: TODO_label_{number}",
            "  examples: |",
            *(_yaml_line(text) for text in group.examples),
        ]
    if not found:
        lines[-1] = "nlu: []"
    return "\n".join(lines) + "\n"
