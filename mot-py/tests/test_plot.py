"""Dashboard.plot (the ``plot`` extra): what is drawn is the contract's
numbers, and every label is readable (none overlaps another or leaves the
figure), on the sample and on a crowded log."""

from __future__ import annotations

import itertools
import random
import sys
import typing

import pyarrow as pa
import pytest

import mot
import mot.plot
from conftest import ROOT

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture(scope="module")
def dash():
    x = mot.sample_experience()
    events, outcomes = mot.sample_log(journeys=3000, seed=5)
    return mot.dashboard(events, outcomes, experience=x)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_smoto_bars_whiskers_and_targets(dash):
    d = dash.to_dict()
    fig = dash.plot("smoto")
    ax = fig.axes[0]
    mots = [m for m in d["mots"] if m["smoto_rate"] is not None]
    widths = [p.get_width() for p in ax.patches]
    assert widths == [m["smoto_rate"] for m in mots]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [m["name"] or m["id"] for m in mots]
    # The whiskers span the Wilson interval of each MOT.
    (segments,) = [c for c in ax.collections if hasattr(c, "get_segments")]
    spans = sorted((round(s[0][0], 12), round(s[1][0], 12)) for s in segments.get_segments())
    assert spans == sorted((round(m["ci_low"], 12), round(m["ci_high"], 12)) for m in mots)
    # One amber tick per MOT with a target.
    ticks = [line for line in ax.lines if line.get_color() == "#f9a825"]
    assert len(ticks) == sum(m["target"] is not None for m in mots)


def test_magic_misery_map_places_each_mot_at_rate_and_lift(dash):
    d = dash.to_dict()
    fig = dash.plot("magic")
    ax = fig.axes[0]
    points = sorted(tuple(float(v) for v in c.get_offsets()[0]) for c in ax.collections)
    want = sorted((m["smoto_rate"], m["lift"]) for m in d["mots"] if m["smoto_rate"] is not None and m["lift"] is not None)
    assert points == want
    labels = [t.get_text() for t in ax.texts if t.get_text()]
    assert sorted(labels) == sorted(m["id"] for m in d["mots"] if m["lift"] is not None)


def test_trends_draw_the_alerted_mots_with_their_limits(dash):
    d = dash.to_dict()
    assert d["alerts"], "the sample log has an incident that raises alerts"
    fig = dash.plot("trend")
    alerted = list(dict.fromkeys(a["mot"] for a in d["alerts"] if a["mot"] is not None))
    assert len(fig.axes) == len(alerted)
    by_mot = {t["mot"]: t for t in d["trends"]}
    for ax, mot_id in zip(fig.axes, alerted):
        periods = by_mot[mot_id]["periods"]
        assert ax.get_title().startswith(mot_id)
        (rate_line,) = [line for line in ax.lines if line.get_color() == "#37474f"]
        assert list(rate_line.get_ydata()) == [p["rate"] for p in periods]
        flagged = [c for c in ax.collections if c.get_offsets().shape[0] and hasattr(c, "get_sizes")]
        outside = [p for p in periods if p["out_of_control"]]
        if outside:
            assert any(sorted(c.get_offsets()[:, 1]) == sorted(p["rate"] for p in outside) for c in flagged)


def test_plot_into_a_given_axes_and_unknown_kind(dash):
    fig, ax = plt.subplots()
    assert dash.plot("magic", ax=ax) is fig
    with pytest.raises(ValueError, match="not a plot"):
        dash.plot("pie")


def test_gap_shows_the_contract_shares_repeats_and_detours(dash):
    d = dash.to_dict()
    c = d["conformance"]
    fig = dash.plot("gap")
    left, right = fig.axes[:2]
    by_id = {m["id"]: m for m in d["mots"]}
    widths = [p.get_width() for p in left.patches]
    assert widths == [by_id[s]["gap"]["missing"] / c["journeys"] for s in c["designed"]]
    labels = [t.get_text() for t in left.get_yticklabels()]
    assert labels == [f"{k + 1}. {by_id[s]['name'] or s}" for k, s in enumerate(c["designed"])]
    # Right: the five most repeated, then the five biggest detours, as in the contract.
    repeats = sorted(((m["name"] or m["id"], m["gap"]["extra"]) for m in d["mots"] if m["gap"]["extra"]), key=lambda r: (-r[1], r[0]))[:5]
    detours = sorted(((m["name"] or m["id"], m["gap"]["undesigned"]) for m in d["mots"] if m["gap"]["undesigned"]), key=lambda r: (-r[1], r[0]))[:5]
    assert [p.get_width() for p in right.patches] == [v for _, v in repeats + detours]
    title = fig._suptitle.get_text()
    assert f"{100 * c['rate']:.1f}%" in title and f"{100 * c['sco_when_conforming']:.1f}%" in title


def test_trend_needs_success_figures():
    d = mot.dashboard_from_xes(str(ROOT / "tests" / "real-logs" / "running-example.xes.gz"))
    with pytest.raises(ValueError, match="no trend to draw"):
        d.plot("trend")


def test_gap_needs_a_design():
    events, outcomes = mot.sample_log(journeys=200, seed=1)
    with pytest.raises(ValueError, match="designed"):
        mot.dashboard(events, outcomes).plot("gap")


# -- every label readable ---------------------------------------------------

WORDS = ["search", "booking", "confirmation", "payment", "check-in", "bag-drop", "lounge", "boarding", "seat", "baggage", "reclaim", "survey"]


@pytest.fixture(scope="module")
def crowded():
    """30 MOTs with long ids, rates within a few points of one another and
    lifts near zero: the magic–misery map's labels all want the same place."""
    rng = random.Random(7)
    ids = [f"{WORDS[k % len(WORDS)]}-{WORDS[(3 * k + 1) % len(WORDS)]}-step-{k:02d}" for k in range(30)]
    rate = {m: 0.9 + 0.03 * rng.random() for m in ids}
    rows: dict[str, list] = {"journey_id": [], "mot_id": [], "timestamp": [], "success": []}
    outcomes: dict[str, list] = {"journey_id": [], "sco": []}
    t0 = 1_795_392_000
    for j in range(3000):
        start = t0 + rng.randrange(14 * 86400)
        ok = True
        for k, m in enumerate(ids):
            if rng.random() < 0.6:
                good = rng.random() < rate[m]
                ok = ok and good
                rows["journey_id"].append(j)
                rows["mot_id"].append(m)
                rows["timestamp"].append(start + 60 * k)
                rows["success"].append(good)
        outcomes["journey_id"].append(j)
        outcomes["sco"].append(rng.random() < (0.55 if ok else 0.5))
    d = mot.dashboard(pa.table(rows), pa.table(outcomes), designed=ids[:25], alert_min_interactions=1)
    assert sum(m["lift"] is not None for m in d.to_dict()["mots"]) == 30
    return d


def drawn_texts(fig, monkeypatch):
    """Every text the renderer draws (visible and not empty), with its extent."""
    text = matplotlib.text.Text
    drawn = []
    original = text.draw

    def draw(self, renderer):
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        return original(self, renderer)

    with monkeypatch.context() as m:
        m.setattr(text, "draw", draw)
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in drawn]


def assert_readable(fig, monkeypatch):
    texts = drawn_texts(fig, monkeypatch)
    assert texts
    page = fig.bbox
    for label, box in texts:
        assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5, f"`{label}` leaves the figure: {box} in {page}"
        assert page.y0 - 0.5 <= box.y0 and box.y1 <= page.y1 + 0.5, f"`{label}` leaves the figure: {box} in {page}"
    for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
        assert not box_a.overlaps(box_b), f"`{a}` overlaps `{b}`: {box_a} and {box_b}"
    return texts


@pytest.mark.parametrize("kind", mot.plot.KINDS)
@pytest.mark.parametrize("case", ["sample", "crowded"])
def test_no_label_overlaps_or_leaves_the_figure(dash, crowded, monkeypatch, kind, case):
    d = dash if case == "sample" else crowded
    fig = d.plot(kind)
    texts = assert_readable(fig, monkeypatch)
    if kind == "magic":
        # Every MOT on the map keeps its label.
        assert sorted(t for t, _ in texts if t in {m["id"] for m in d.to_dict()["mots"]}) == sorted(
            m["id"] for m in d.to_dict()["mots"] if m["lift"] is not None and m["smoto_rate"] is not None
        )
    # The same at another resolution: the layout is in points, not pixels.
    fig.set_dpi(200)
    assert_readable(fig, monkeypatch)


@pytest.mark.parametrize("n", [80, 400])
def test_a_dense_map_keeps_its_labels_apart(monkeypatch, n):
    # n MOTs in a small square of (rate, lift): labels move away with a
    # leader line, then shrink; what finds no room at all is left out, and
    # the title says how many.
    rng = random.Random(3)
    mots = [
        {
            "id": f"moment-of-truth-{k:03d}",
            "smoto_rate": 0.9 + 0.01 * rng.random(),
            "lift": 0.01 * rng.random(),
            "removal_effect": rng.random(),
            "alignment": rng.choice(["magic", "misery", "neutral"]),
        }
        for k in range(n)
    ]
    fig = mot.plot.draw({"mots": mots}, "magic")
    texts = assert_readable(fig, monkeypatch)
    labelled = [t for t, _ in texts if t.startswith("moment-of-truth-")]
    title = fig.axes[0].get_title()
    if len(labelled) == n:
        assert title == "Moments of magic and misery"
    else:
        assert title == f"Moments of magic and misery ({n - len(labelled)} labels left out: no room)"
    assert (len(labelled) == n) == (n == 80)


def test_magic_labels_sit_beside_their_points_on_the_sample(dash, monkeypatch):
    fig = dash.plot("magic")
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    for t in ax.texts:
        if not t.get_text():
            continue
        box = t.get_window_extent(renderer)
        x, y = ax.transData.transform(t.xy)
        # Within 40 points of the point it names.
        gap = ((max(box.x0 - x, 0, x - box.x1)) ** 2 + (max(box.y0 - y, 0, y - box.y1)) ** 2) ** 0.5
        assert gap <= 40 * fig.dpi / 72, t.get_text()


def test_kinds_are_the_literal_type():
    assert typing.get_args(mot.PlotKind) == mot.plot.KINDS == ("smoto", "magic", "trend", "gap")


def test_the_stubs_type_check_plot_kinds(tmp_path):
    api = pytest.importorskip("mypy.api")
    (tmp_path / "use.py").write_text(
        "import mot\n"
        "d = mot.dashboard([])\n"
        "k: mot.PlotKind = 'gap'\n"
        "d.plot('magic')\n"
        "d.plot(k)\n"
        "d.plot('pie')\n"
    )
    out, _, status = api.run(["--no-incremental", "--cache-dir", str(tmp_path / ".cache"), str(tmp_path / "use.py")])
    assert status == 1, out
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "use.py:6:" in errors[0] and "Literal['pie']" in errors[0], out


def test_without_matplotlib_the_error_names_the_extra(dash, monkeypatch):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ModuleNotFoundError) as e:
        dash.plot("smoto")
    assert str(e.value) == (
        "matplotlib is not installed: `pip install matplotlib`, or install mot with "
        'its `plot` extra (`pip install "./mot-py[plot]"`)'
    )
