"""Checks that the published JSON Schema accepts every experience document we
ship and rejects malformed ones. Needs the `jsonschema` package (installed by
scripts/test.sh).

    python3 tests/experience/check_schema.py
"""

import copy
import json
import sys
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "mot-core/schema/mot.experience-1.schema.json").read_text())
validator = jsonschema.Draft202012Validator(SCHEMA)
jsonschema.Draft202012Validator.check_schema(SCHEMA)

documents = sorted(ROOT.glob("mot-core/data/*.json")) + sorted(
    p for p in (ROOT / "tests/experience").glob("*/*.json") if p.name != "expected.json"
)
assert len(documents) >= 6, documents
failures = 0
for path in documents:
    errors = list(validator.iter_errors(json.loads(path.read_text())))
    for e in errors:
        print(f"{path.relative_to(ROOT)}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    failures += len(errors)

sample = json.loads((ROOT / "mot-core/data/airline.json").read_text())
broken = []
for mutate in (
    lambda d: d.pop("format"),
    lambda d: d.update(format="mot.experience/2"),
    lambda d: d["mots"][0].update(colour="red"),
    lambda d: d["mots"][0].update(type="XX"),
    lambda d: d["mots"][0].update(contribution="maybe"),
    lambda d: d["landscape"]["work"][0].update(kind="robot"),
    lambda d: d["maturity"].update(people="high"),
    lambda d: d["ideas"][0].update(status="done"),
):
    doc = copy.deepcopy(sample)
    mutate(doc)
    broken.append(validator.is_valid(doc))
if any(broken):
    print(f"schema accepted malformed documents: {broken}")
    failures += 1

def contract(schema, family, break_it, what):
    """Every expected document of a fixture family (which the Rust, Python
    and JS runners reproduce) fits its published contract, and one broken
    copy does not. Returns the failures and how many documents were read."""
    schema = json.loads((ROOT / "mot-core/schema" / schema).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    paths = sorted((ROOT / "tests" / family).glob("*/expected.json"))
    assert len(paths) >= 3, paths
    bad = 0
    for path in paths:
        for e in v.iter_errors(json.loads(path.read_text())):
            print(f"{path.relative_to(ROOT)}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
            bad += 1
    doc = json.loads(paths[0].read_text())
    break_it(doc)
    if v.is_valid(doc):
        print(f"{family} schema accepted {what}")
        bad += 1
    return bad, len(paths)


bad, dashboards = contract(
    "mot.dashboard-1.schema.json", "dashboard", lambda d: d["mots"][0].update(alignment="fabulous"), "an unknown alignment class"
)
failures += bad
bad, comparisons = contract(
    "mot.comparison-1.schema.json", "comparison", lambda d: d["sco"].update(verdict="better"), "an unknown verdict"
)
failures += bad
jsonschema.Draft202012Validator.check_schema(
    json.loads((ROOT / "mot-core/schema/mot.ideas-1.schema.json").read_text())
)
# The sample's dates must be what the schema says a moment is.
bad = copy.deepcopy(sample)
bad["ideas"][0]["submitted_at"] = "12/08/2026"
if validator.is_valid(bad):
    print("experience schema accepted a date that is not a date")
    failures += 1

print(
    f"schema: {len(documents)} experience documents, {dashboards} dashboards and "
    f"{comparisons} comparisons checked, {len(broken) + 3} malformed documents rejected"
)
sys.exit(1 if failures else 0)
