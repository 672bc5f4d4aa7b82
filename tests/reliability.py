"""The numbers behind docs/reliability.md: fault and bad-input tests tally what they tried.

A test calls ``tally(row, outcome)`` once per case (``row`` is a key of ``ROWS``); at the end of
the session ``tests/conftest.py`` merges the counts into ``build/reliability.json``, and

    .venv/bin/python -m tests.reliability

rewrites the table in ``docs/reliability.md`` from it and ``build/reliability-js.json`` (the
node tests' counts).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "build" / "reliability.json"
JS_RESULTS = ROOT / "build" / "reliability-js.json"  # written by tests/js/*properties*
DOC = ROOT / "docs" / "reliability.md"
BEGIN, END = "<!-- reliability-table:begin -->", "<!-- reliability-table:end -->"

# row key: (fault or bad-input class, what is kept; the test that tries it)
ROWS = {
    "export-json": (
        "Export: any JSON value (Hypothesis)",
        "nothing loaded; the previous model stays",
        "tests/unit/test_reader_properties.py",
    ),
    "export-text": (
        "Export: any text or bytes, incl. deep nesting `[[[…` and 5000-digit numbers",
        "nothing loaded; the previous model stays",
        "tests/unit/test_reader_properties.py",
    ),
    "export-mutation": (
        "Export: a valid export mutated 1-3 times (deleted keys, wrong types, NaN/±Inf, "
        "huge/negative sizes, truncated or non-base64 data, deep nesting)",
        "nothing loaded; the previous model stays",
        "tests/unit/test_reader_properties.py",
    ),
    "export-memory": (
        "Export: declared sizes up to 2^31 per dimension with little data",
        "nothing allocated beyond the input's size",
        "tests/unit/test_reader_properties.py",
    ),
    "samples-bytes": (
        "Sample digits asset: any bytes, and mutated valid assets (header fields, length)",
        "no samples shown; the page keeps working",
        "tests/unit/test_reader_properties.py",
    ),
    "worker-requests": (
        "Worker requests (`predict`, `load`, `samples`, …) with any arguments: wrong lengths, "
        "NaN/±Inf, values outside 0…1, non-arrays, unknown names",
        "the loaded model (a refused request changes nothing)",
        "tests/unit/test_worker_api_properties.py",
    ),
    "url-hash": (
        "Shared link: any URL-hash text for every setting, any hash, any `d=` drawing text "
        "(node --test, seeded)",
        "the setting's default; a refused drawing leaves the grid as it was",
        "tests/js/settings-properties.test.mjs",
    ),
    "deploy-kill": (
        "Deploy killed with `kill -9` at each stage (export, build, verify, publish, switch)",
        "`current` serves the previous release byte-for-byte; lock free; next deploy cleans up",
        "tests/deploy/test_faults.py",
    ),
    "deploy-full-disk": (
        "Deploy onto a full releases filesystem (ENOSPC)",
        "live release untouched; clear message; scratch removed",
        "tests/deploy/test_faults.py",
    ),
    "deploy-current": (
        "`current` missing or dangling",
        "reported by `deploy status`; repaired by `rollback` / `deploy`",
        "tests/deploy/test_faults.py",
    ),
    "deploy-pruned": (
        "Rollback to a pruned release",
        "live release unchanged; message says it was pruned",
        "tests/deploy/test_faults.py",
    ),
    "served-tree": (
        "Published tree vs the build manifest",
        "only the manifest's files are served (no .git, data/, tests, sources)",
        "tests/deploy/test_faults.py",
    ),
    "training-kill": (
        "Training killed with `kill -9` while writing the export",
        "the previous export byte-for-byte; no temporary file left",
        "tests/training/test_training_kill.py",
    ),
    "csp": (
        "Content-Security-Policy: browser journeys; a script from another origin",
        "zero violations in the journeys; the foreign script is refused",
        "tests/e2e (conftest fixture), tests/e2e/test_csp.py",
    ),
}

_counts: dict[str, Counter] = {}


def tally(row: str, outcome: str) -> None:
    """Count one case of ``row`` that ended with ``outcome`` (e.g. "ExportError", "loaded")."""
    if row not in ROWS:
        raise KeyError(f"unknown reliability row {row!r}")
    _counts.setdefault(row, Counter())[outcome] += 1


def save(path: Path = RESULTS) -> None:
    """Merge this session's counts into ``path``: outcomes a partial run did not see keep their
    last numbers."""
    if not _counts:
        return
    try:
        merged = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        merged = {}
    for row, counts in _counts.items():  # this session's outcomes replace the same outcomes
        merged[row] = dict(sorted({**merged.get(row, {}), **counts}.items()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def render(results: dict) -> str:
    """The Markdown table."""
    lines = [
        "| Fault or bad input | Cases | What happened | What was kept | Test |",
        "|---|---:|---|---|---|",
    ]
    for row, (what, kept, test) in ROWS.items():
        counts = results.get(row, {})
        total = sum(counts.values())
        outcome = ", ".join(f"{name} ×{n}" for name, n in sorted(counts.items())) or "not run"
        lines.append(f"| {what} | {total} | {outcome} | {kept} | `{test}` |")
    return "\n".join(lines)


def main() -> int:
    results = {}
    for path in (RESULTS, JS_RESULTS):
        if path.is_file():
            results.update(json.loads(path.read_text(encoding="utf-8")))
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"{DOC} has no {BEGIN} … {END} markers", file=sys.stderr)
        return 1
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{BEGIN}\n{render(results)}\n{END}{tail}", encoding="utf-8")
    print(f"wrote {DOC} from {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
