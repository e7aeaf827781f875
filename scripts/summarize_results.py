"""Adds up the JUnit files of every pytest run and the rasa test results into one line.

Steps without a JUnit file (data validation, rasa test) are reported by name by test.sh.
Exits non-zero when no test ran at all, so that an empty run can never look green.
"""
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main(results: Path) -> int:
    passed = failed = skipped = 0
    for junit in sorted(results.glob("junit-*.xml")):
        for suite in ET.parse(junit).getroot().iter("testsuite"):
            total = int(suite.get("tests", 0))
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skip = int(suite.get("skipped", 0))
            passed += total - bad - skip
            failed += bad
            skipped += skip
    stories = results / "core" / "story_report.json"
    if stories.exists():
        report = json.loads(stories.read_text())
        print(f"rasa test stories: {report.get('conversation_accuracy', {})}")
    if passed + failed == 0:
        print("No test ran.")
        return 1
    print(f"\ntests: {passed} passed, {failed} failed, {skipped} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
