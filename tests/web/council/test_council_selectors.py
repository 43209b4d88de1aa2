"""The timeline, the matrix goals × years and the gaps, against expectations built by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from kansenaudit.web.council import selectors, services
from tests.helpers.council_builders import document, goal, indicator, measure

D = dt.date


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def council(team):
    """Six items over 2022–2025 (none in 2024), three goals of which one is never reported."""
    dossier = team["dossier"]
    dossier.period_start, dossier.period_end = D(2022, 1, 1), D(2025, 12, 31)
    dossier.save()
    g1 = goal(dossier, "Gelijke start", order=1)
    g2 = goal(dossier, "Taalontwikkeling", order=2)
    g3 = goal(dossier, "Nooit besproken", order=3)
    m1, m2 = measure(dossier, "Voorschool"), measure(dossier, "Zomerschool")
    i1 = indicator(dossier, "Deelname voorschool")

    def item(title, date, reports_on, goals=(), measures=()):
        doc = document(dossier, title, date)
        return services.item_register(
            dossier=dossier,
            document=doc,
            reports_on=reports_on,
            goals=goals,
            measures=measures,
            actor=None,
        )

    items = {
        "A": item("A brief", D(2022, 3, 1), "outputs", [g1]),
        "F": item("F voornemen", D(2022, 11, 1), "geen", [g2]),
        "B": item("B effecten", D(2023, 5, 1), "effecten", [g1, g2], [m1]),
        "C": item("C prestaties", D(2023, 9, 1), "outputs", [g1]),
        "D": item("D jaarverslag", D(2025, 2, 1), "beide", [g2]),
        "E": item("E plannen", D(2025, 6, 1), "geen", [g2]),
    }
    # Another dossier's item on a goal of its own must never show up.
    other_goal = goal(team["other"], "Vreemd doel")
    services.item_register(
        dossier=team["other"],
        document=document(team["other"], "Vreemde brief", D(2024, 4, 4)),
        reports_on="effecten",
        goals=[other_goal],
        actor=None,
    )
    return {"dossier": dossier, "goals": (g1, g2, g3), "m": (m1, m2), "i": i1, **items}


def _cells(row):
    return [(c.year, c.state, c.count) for c in row.cells]


def test_matrix_by_hand(council):
    result = selectors.matrix(council["dossier"])
    g1, g2, g3 = council["goals"]
    assert result.years == (2022, 2023, 2024, 2025)
    assert [r.goal for r in result.rows] == [g1, g2, g3]
    r1, r2, r3 = result.rows
    # 2023 for G1: B on effects and C on outputs in one cell → both, two items.
    assert _cells(r1) == [
        (2022, "outputs", 1),
        (2023, "both", 2),
        (2024, "none", 0),
        (2025, "none", 0),
    ]
    assert (r1.cells[1].outputs, r1.cells[1].effects) == (1, 1)
    assert set(r1.cells[1].item_ids) == {council["B"].pk, council["C"].pk}
    # G2: a plans-only item in 2022; in 2025 one item on both and one on plans.
    assert _cells(r2) == [
        (2022, "plans", 1),
        (2023, "effects", 1),
        (2024, "none", 0),
        (2025, "both", 2),
    ]
    assert _cells(r3) == [(y, "none", 0) for y in (2022, 2023, 2024, 2025)]
    assert (r1.summary.count, r1.summary.on_effects) == (3, 1)
    assert (r1.summary.first, r1.summary.last) == (D(2022, 3, 1), D(2023, 9, 1))
    assert r1.summary.share_on_effects == pytest.approx(1 / 3)
    assert (r2.summary.count, r2.summary.on_effects) == (4, 2)
    assert r2.summary.share_on_effects == 0.5
    assert (r3.summary.count, r3.summary.first, r3.summary.share_on_effects) == (0, None, None)
    assert result.goals_never_reported == [g3]
    assert result.years_without_information == (2024,)


def test_matrix_years_follow_the_audit_period_and_the_items(council):
    dossier = council["dossier"]
    dossier.period_start, dossier.period_end = D(2020, 1, 1), D(2021, 12, 31)
    dossier.save()
    result = selectors.matrix(dossier)
    assert result.years == (2020, 2021, 2022, 2023, 2024, 2025)
    assert result.years_without_information == (2020, 2021, 2024)


def test_matrix_without_items_or_period_is_empty_but_lists_goals(team):
    g = goal(team["dossier"], "Enig doel")
    result = selectors.matrix(team["dossier"])
    assert result.years == ()
    assert [r.goal for r in result.rows] == [g]
    assert result.goals_never_reported == [g]


def test_timeline_by_hand(council):
    result = selectors.timeline(council["dossier"])
    assert [y.year for y in result.years] == [2022, 2023, 2024, 2025]
    assert [[e.item.title for e in y.entries] for y in result.years] == [
        ["A brief", "F voornemen"],
        ["B effecten", "C prestaties"],
        [],
        ["D jaarverslag", "E plannen"],
    ]
    assert [e.state for e in result.entries] == [
        "outputs",
        "plans",
        "effects",
        "outputs",
        "both",
        "plans",
    ]
    assert [(y.outputs, y.effects) for y in result.years] == [(1, 0), (1, 1), (0, 0), (1, 1)]


def test_filters(council):
    dossier, (g1, g2, _g3) = council["dossier"], council["goals"]

    def titles(**kwargs):
        return [
            i.title[0] for i in selectors.items_for_dossier(dossier, selectors.ItemFilter(**kwargs))
        ]

    assert titles() == ["A", "F", "B", "C", "D", "E"]
    assert titles(year=2023) == ["B", "C"]
    assert titles(goal_id=g2.pk) == ["F", "B", "D", "E"]
    assert titles(reports_on="effecten") == ["B"]
    assert titles(year=2025, goal_id=g2.pk, reports_on="geen") == ["E"]
    assert titles(year=2024) == []
    filtered = selectors.timeline(dossier, selectors.ItemFilter(goal_id=g1.pk))
    assert [y.year for y in filtered.years] == [2022, 2023]
    assert selectors.item_years(dossier) == [2022, 2023, 2025]


def test_unreported_measures_and_indicators(council):
    gaps = selectors.unreported(council["dossier"])
    assert list(gaps.goals) == [council["goals"][2]]
    assert list(gaps.measures) == [council["m"][1]]
    assert list(gaps.indicators) == [council["i"]]


def test_item_in_dossier_never_returns_another_dossiers_item(council, team):
    assert selectors.item_in_dossier(team["other"], council["A"].pk) is None
    assert selectors.item_in_dossier(council["dossier"], council["A"].pk) == council["A"]
