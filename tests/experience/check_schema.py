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

# Dashboards: every expected dashboard of the conformance fixtures (which the
# Rust, Python and JS runners reproduce) must fit the published contract.
DASH = json.loads((ROOT / "mot-core/schema/mot.dashboard-1.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(DASH)
dash_validator = jsonschema.Draft202012Validator(DASH)
dashboards = sorted((ROOT / "tests/dashboard").glob("*/expected.json"))
assert len(dashboards) >= 3, dashboards
for path in dashboards:
    for e in dash_validator.iter_errors(json.loads(path.read_text())):
        print(f"{path.relative_to(ROOT)}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        failures += 1
bad = json.loads(dashboards[0].read_text())
bad["mots"][0]["alignment"] = "fabulous"
if dash_validator.is_valid(bad):
    print("dashboard schema accepted an unknown alignment class")
    failures += 1

# Comparisons: every expected comparison fits mot.comparison/1.
COMP = json.loads((ROOT / "mot-core/schema/mot.comparison-1.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(COMP)
comp_validator = jsonschema.Draft202012Validator(COMP)
comparisons = sorted((ROOT / "tests/comparison").glob("*/expected.json"))
assert len(comparisons) >= 3, comparisons
for path in comparisons:
    for e in comp_validator.iter_errors(json.loads(path.read_text())):
        print(f"{path.relative_to(ROOT)}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        failures += 1
bad = json.loads(comparisons[0].read_text())
bad["sco"]["verdict"] = "better"
if comp_validator.is_valid(bad):
    print("comparison schema accepted an unknown verdict")
    failures += 1
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
    f"schema: {len(documents)} experience documents, {len(dashboards)} dashboards and "
    f"{len(comparisons)} comparisons checked, {len(broken) + 3} malformed documents rejected"
)
sys.exit(1 if failures else 0)
