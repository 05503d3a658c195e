"""mot.Experience: loading, validation errors, queries, pictures, pickling."""

from __future__ import annotations

import json
import pickle

import pytest

import mot


def test_sample_and_queries():
    x = mot.sample_experience()
    assert x.name == "Air travel" and len(x.mot_ids()) == 18
    assert x.roles_of("p-em") == ["experience-manager"]
    assert x.unexplained_work() == ["pol-fax-confirmation"]
    assert any(m["mot"] == "bag-drop" for m in x.trace("sys-dcs")["mots"])
    assert x.failure_impact("sys-dcs")["sco_at_risk"] is True
    assert x.mermaid().startswith("flowchart LR")
    assert "survey-email" in x.diff(mot.sample_experience_next())["mots_removed"]
    assert pickle.loads(pickle.dumps(x)).to_json() == x.to_json()


def test_every_problem_is_reported():
    doc = mot.sample_experience().to_dict()
    doc["mots"][0]["manager"] = "nobody"
    doc["landscape"]["work"][0]["cost"] = -5
    with pytest.raises(mot.InvalidExperienceError) as err:
        mot.Experience.from_json(json.dumps(doc))
    assert isinstance(err.value, ValueError) and err.value.kind == "invalid"
    paths = [p["path"] for p in err.value.problems]
    assert paths == ["mots[0].manager", "landscape.work[0].cost"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", mot.JsonError),
        ("not json", mot.JsonError),
        ("[]", mot.JsonError),
        ('{"format": "mot.experience/2"}', mot.FormatError),
        ("{}", mot.FormatError),
        ('{"format": "mot.experience/1", "id": 7}', mot.JsonError),
    ],
)
def test_broken_json_raises_typed_errors(text, error):
    with pytest.raises(error) as err:
        mot.Experience.from_json(text)
    assert isinstance(err.value, mot.MotError)


def test_unknown_ids_and_files():
    x = mot.sample_experience()
    with pytest.raises(mot.NotFoundError):
        x.trace("no-such-work")
    with pytest.raises(LookupError):
        x.design_mermaid("no-such-mot")
    with pytest.raises(OSError):
        mot.Experience.load("/no/such/file.json")
