"""Pictures of a dashboard with matplotlib (``pip install "mot[plot]"``).

Every number drawn comes from the dashboard dict; nothing is computed here.
"""

from __future__ import annotations

from typing import Any

COLOURS = {
    "magic": "#2e7d32",
    "misery": "#c62828",
    "neutral": "#546e7a",
    "unaligned": "#9e9e9e",
    "unmeasured": "#b0bec5",
}


def _plt() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError('plotting needs matplotlib: pip install "mot[plot]"') from e
    return plt


KINDS = ("smoto", "magic", "trend", "gap")


def draw(d: dict[str, Any], kind: str = "smoto", ax: Any = None) -> Any:
    """Draws ``kind`` (one of :data:`KINDS`) and returns the figure.

    ``smoto``: SMOTO rates with intervals; ``magic``: the magic–misery map;
    ``trend``: p-charts of the alerted MOTs; ``gap``: the designed journey
    against reality (needs a design: an experience or ``designed=[...]``).
    """
    if kind == "smoto":
        return smoto(d, ax)
    if kind == "magic":
        return magic_misery(d, ax)
    if kind == "trend":
        return trends(d)
    if kind == "gap":
        return gap(d)
    raise ValueError(f"`{kind}` is not a plot: use one of {', '.join(KINDS)}")


def smoto(d: dict[str, Any], ax: Any = None) -> Any:
    """SMOTO rates with Wilson 95% intervals, coloured by alignment; targets as ticks."""
    plt = _plt()
    mots = [m for m in d["mots"] if m["smoto_rate"] is not None]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.35 * len(mots) + 1))
    labels = [m["name"] or m["id"] for m in mots]
    y = list(range(len(mots)))[::-1]
    rates = [m["smoto_rate"] for m in mots]
    err = [[r - m["ci_low"] for r, m in zip(rates, mots)], [m["ci_high"] - r for r, m in zip(rates, mots)]]
    ax.barh(y, rates, color=[COLOURS[m["alignment"]] for m in mots], alpha=0.75)
    ax.errorbar(rates, y, xerr=err, fmt="none", ecolor="black", capsize=2)
    for yi, m in zip(y, mots):
        if m["target"] is not None:
            ax.plot([m["target"]] * 2, [yi - 0.4, yi + 0.4], color="#f9a825", linewidth=2)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 1)
    ax.set_xlabel("SMOTO rate (bars), Wilson 95% interval (whiskers), target (amber)")
    return ax.figure


def magic_misery(d: dict[str, Any], ax: Any = None) -> Any:
    """Each MOT at (SMOTO rate, lift), sized by removal effect, coloured by class."""
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    for m in d["mots"]:
        if m["smoto_rate"] is None or m["lift"] is None:
            continue
        size = 30 + 400 * (m["removal_effect"] or 0.0)
        ax.scatter(m["smoto_rate"], m["lift"], s=size, color=COLOURS[m["alignment"]], alpha=0.6)
        ax.annotate(m["id"], (m["smoto_rate"], m["lift"]), fontsize=7, xytext=(4, 2), textcoords="offset points")
    ax.axhline(0, color="#bbbbbb", linewidth=0.8)
    ax.set_xlabel("SMOTO rate")
    ax.set_ylabel("lift: P(SCO | ok) − P(SCO | failed)")
    ax.set_title("Moments of magic and misery")
    return ax.figure


def trends(d: dict[str, Any], mots: list[str] | None = None) -> Any:
    """Trends with p-chart limits: the MOTs with alerts (or the first four)."""
    plt = _plt()
    if mots is None:
        alerted = [a["mot"] for a in d["alerts"] if a["mot"] is not None]
        mots = list(dict.fromkeys(alerted)) or [t["mot"] for t in d["trends"][:4]]
    chosen = [t for t in d["trends"] if t["mot"] in mots and t["periods"]]
    fig, axes = plt.subplots(len(chosen), 1, figsize=(8, 2.2 * max(len(chosen), 1)), squeeze=False)
    for ax, t in zip(axes[:, 0], chosen):
        xs = [p["start"] for p in t["periods"]]
        ax.fill_between(xs, [p["lcl"] for p in t["periods"]], [p["ucl"] for p in t["periods"]], color="#e3f2fd", step="mid")
        ax.plot(xs, [p["rate"] for p in t["periods"]], color="#37474f", linewidth=1)
        if t["centre"] is not None:
            ax.axhline(t["centre"], color="#90a4ae", linestyle="--", linewidth=0.8)
        out = [p for p in t["periods"] if p["out_of_control"]]
        ax.scatter([p["start"] for p in out], [p["rate"] for p in out], color="#c62828", zorder=3, s=12)
        ax.set_title(f"{t['mot']} — SMOTO rate per {d['period']} with control limits", fontsize=9)
        ax.set_xticks([])
    fig.tight_layout()
    return fig


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def gap(d: dict[str, Any], top: int = 5) -> Any:
    """The Design–Implementation gap: each designed step with the share of
    journeys that skipped it (left), the most repeated designed MOTs and
    the undesigned detours (right), and in the title the conforming share
    and the SCO rate of conforming vs deviating journeys."""
    plt = _plt()
    c = d["conformance"]
    if c is None:
        raise ValueError("no designed journey: give an experience or designed=[...]")
    by_id = {m["id"]: m for m in d["mots"]}
    steps = c["designed"]
    shares = [
        by_id[s]["gap"]["missing"] / c["journeys"] if c["journeys"] else 0.0 for s in steps
    ]
    labels = [f"{k + 1}. {by_id[s]['name'] or s}" for k, s in enumerate(steps)]
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(11, 0.32 * max(len(steps), 2 * top) + 1.6), gridspec_kw={"width_ratios": [3, 2]}
    )
    y = list(range(len(steps)))[::-1]
    left.barh(y, shares, color="#c62828", alpha=0.8)
    left.set_yticks(y, labels, fontsize=8)
    left.set_xlim(0, max(shares + [0.05]) * 1.15)
    left.set_xlabel("share of journeys that skipped the step")
    for yi, x in zip(y, shares):
        left.annotate(_pct(x), (x, yi), fontsize=7, xytext=(3, -3), textcoords="offset points")

    def most(key: str) -> list[tuple[str, int]]:
        rows = [(m["name"] or m["id"], m["gap"][key]) for m in d["mots"] if m["gap"] and m["gap"][key] > 0]
        rows.sort(key=lambda r: (-r[1], r[0]))
        return rows[:top]

    repeats, detours = most("extra"), most("undesigned")
    rows = [(f"↻ {n}", v, "#ef6c00") for n, v in repeats] + [(f"↪ {n}", v, "#6a1b9a") for n, v in detours]
    ry = list(range(len(rows)))[::-1]
    right.barh(ry, [r[1] for r in rows], color=[r[2] for r in rows], alpha=0.8)
    right.set_yticks(ry, [r[0] for r in rows], fontsize=8)
    right.yaxis.tick_right()
    right.set_xlabel("interactions: repeated (↻) and undesigned (↪)")
    fig.suptitle(
        f"{_pct(c['rate'])} of {c['journeys']:,} journeys follow the design · "
        f"SCO {_pct(c['sco_when_conforming'])} when conforming, {_pct(c['sco_when_deviating'])} when deviating",
        fontsize=10,
    )
    fig.tight_layout()
    return fig
