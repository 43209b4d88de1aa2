"""Agreement per framework against the reference implementation (the `krippendorff`
package), on judgements created through the services."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from kansenaudit.web.judgements import selectors, services
from tests.helpers.judgements_support import measures, subjects

# Scores of assessor 1 and 2 per measure (effectladder 0–5, ordinal).
LADDER = [(0, 0), (1, 2), (2, 2), (3, 2), (4, 5), (5, 5), (1, 1), (3, 4), (2, 3), (0, 1)]


def _double(team, key, subject, code, a, b):
    created, _ = services.judgements_start(
        dossier=team["dossier"],
        framework_key=key,
        subject=subject,
        criteria=[code],
        mode="dubbel",
        actor=None,
    )
    j = created[0]
    for role, value in (("projectleider", a), ("onderzoeker", b)):
        services.assessment_submit(
            judgement=selectors.judgement_in_dossier(team["dossier"], j.pk),
            actor=team["users"][role],
            score=None if value == "nvt" else value,
            not_applicable=value == "nvt",
            rationale="m",
        )
    return j


def _reference(pairs, level, domain):
    data = np.array(
        [[np.nan if p[i] in ("nvt", None) else p[i] for p in pairs] for i in (0, 1)], dtype=float
    )
    return krippendorff.alpha(
        reliability_data=data, level_of_measurement=level, value_domain=domain
    )


def test_effectladder_alpha_matches_the_krippendorff_package(team):
    for measure, (a, b) in zip(measures(team["dossier"], len(LADDER)), LADDER, strict=True):
        _double(team, "effectladder", measure, "E", a, b)
    # A single-assessor judgement and a half-finished one do not count.
    extra = measures(team["dossier"], 2, first=100)
    services.judgements_start(
        dossier=team["dossier"],
        framework_key="effectladder",
        subject=extra[0],
        criteria=None,
        mode="enkel",
        actor=None,
    )
    half, _ = services.judgements_start(
        dossier=team["dossier"],
        framework_key="effectladder",
        subject=extra[1],
        criteria=None,
        mode="dubbel",
        actor=None,
    )
    services.assessment_submit(
        judgement=half[0], actor=team["users"]["onderzoeker"], score=0, rationale="m"
    )
    result = selectors.agreement(team["dossier"], "effectladder", n_boot=300)
    assert result.level == "ordinal"
    expected = _reference(LADDER, "ordinal", list(range(6)))
    assert result.alpha == pytest.approx(expected, abs=1e-9)
    assert result.n_units == len(LADDER)
    assert result.n_pairable == 2 * len(LADDER)
    assert result.n_double == len(LADDER)
    assert result.low < result.alpha < result.high <= 1
    # The nominal metric gives a different figure, so the metric really was ordinal.
    assert _reference(LADDER, "nominal", list(range(6))) != pytest.approx(result.alpha)
    data = selectors.agreement_as_dict(result)
    assert data["units"] == 10
    assert data["undefined_reason"] is None


def test_not_applicable_counts_as_missing(team):
    s = subjects(team["dossier"])
    directies = [s["directie"]]
    from kansenaudit.web.policy.models import Actor

    for i in range(5):
        directies.append(
            Actor.objects.create(dossier=team["dossier"], name=f"Directie {i}", kind="directie")
        )
    pairs = [(2, 2), (1, 2), (0, 0), ("nvt", 1), (2, 1), ("nvt", "nvt")]
    for directie, (a, b) in zip(directies, pairs, strict=True):
        _double(team, "analysemodel", directie, "C3", a, b)
    result = selectors.agreement(team["dossier"], "analysemodel", n_boot=200)
    assert result.alpha == pytest.approx(_reference(pairs, "ordinal", [0, 1, 2]), abs=1e-9)
    assert result.n_double == 6
    assert result.n_units == 4
    assert result.n_pairable == 8


def test_nominal_scale_uses_the_nominal_metric(team):
    from kansenaudit.policy.frameworks import framework, to_dict

    data = to_dict(framework("smart"))
    data["key"] = "aanwezig"
    data["scale"] = {
        "kind": "nominal",
        "not_applicable": None,
        "levels": [
            {"value": "ja", "label": "ja"},
            {"value": "nee", "label": "nee"},
            {"value": "deels", "label": "deels"},
        ],
    }
    services.framework_save(dossier=team["dossier"], data=data, actor=None, subject_kind="doel")
    from kansenaudit.web.policy.models import Goal

    pairs = [("ja", "ja"), ("nee", "deels"), ("deels", "deels"), ("ja", "nee"), ("nee", "nee")]
    for i, (a, b) in enumerate(pairs):
        goal = Goal.objects.create(dossier=team["dossier"], title=f"Doel {i}", level="directie")
        _double(team, "aanwezig", goal, "S", a, b)
    result = selectors.agreement(team["dossier"], "aanwezig", n_boot=200)
    assert result.level == "nominal"
    codes = {"ja": 0, "nee": 1, "deels": 2}
    numeric = [(codes[a], codes[b]) for a, b in pairs]
    assert result.alpha == pytest.approx(_reference(numeric, "nominal", [0, 1, 2]), abs=1e-9)


def test_undefined_alpha_is_explained(team):
    result = selectors.agreement(team["dossier"], "effectladder")
    assert result.alpha is None
    assert "nog geen oordeel met twee" in result.undefined_reason
    ms = measures(team["dossier"], 2)
    _double(team, "effectladder", ms[0], "E", 3, 3)
    _double(team, "effectladder", ms[1], "E", 3, 3)
    result = selectors.agreement(team["dossier"], "effectladder")
    assert result.alpha is None
    assert result.n_units == 2
    assert "alle gepaarde scores zijn gelijk" in result.undefined_reason
    with pytest.raises(LookupError):
        selectors.agreement(team["dossier"], "bestaat-niet")


def test_blind_judgements_do_not_enter_the_agreement(team):
    ms = measures(team["dossier"], 3)
    _double(team, "effectladder", ms[0], "E", 1, 2)
    _double(team, "effectladder", ms[1], "E", 4, 3)
    created, _ = services.judgements_start(
        dossier=team["dossier"],
        framework_key="effectladder",
        subject=ms[2],
        criteria=None,
        mode="dubbel",
        actor=None,
    )
    services.assessment_submit(
        judgement=created[0], actor=team["users"]["projectleider"], score=5, rationale="m"
    )
    data, n_double = selectors.reliability_data(team["dossier"], "effectladder")
    assert n_double == 2
    assert data == [[1, 4], [2, 3]]


def test_the_cross_table_counts_the_pairs_with_not_applicable_apart(team):
    from kansenaudit.web.policy.models import Actor

    pairs = [(0, 1), (0, 1), (2, "nvt"), (2, 2)]
    for i, (a, b) in enumerate(pairs):
        directie = Actor.objects.create(dossier=team["dossier"], name=f"D{i}", kind="directie")
        _double(team, "analysemodel", directie, "C3", a, b)
    result = selectors.agreement(team["dossier"], "analysemodel", n_boot=10)
    framework = selectors.framework_info(team["dossier"], "analysemodel").framework
    table = selectors.agreement_cross_table(result, framework)
    assert table["columns"] == ["0 – voldoet niet", "1 – deels", "2 – voldoet", "n.v.t."]
    assert table["rows"] == [
        {"label": "0 – voldoet niet", "cells": [0, 2, 0, 0]},
        {"label": "1 – deels", "cells": [0, 0, 0, 0]},
        {"label": "2 – voldoet", "cells": [0, 0, 1, 1]},
        {"label": "n.v.t.", "cells": [0, 0, 0, 0]},
    ]
