"""Pictures of a dashboard with matplotlib (``pip install "./mot-py[plot]"``).

Every number drawn comes from the dashboard dict; nothing is computed here.
Labels are laid out so that none overlaps another or leaves the figure: the
magic–misery map places each MOT's label greedily beside its point, measured
with the renderer (see :func:`place_labels`), and the bar charts size the
figure to their longest label.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Literal, get_args

from ._optional import require

COLOURS = {
    "magic": "#2e7d32",
    "misery": "#c62828",
    "neutral": "#546e7a",
    "unaligned": "#9e9e9e",
    "unmeasured": "#b0bec5",
}

PlotKind = Literal["smoto", "magic", "trend", "gap"]
"""The pictures :meth:`mot.Dashboard.plot` draws:

- ``"smoto"``: SMOTO rates with Wilson 95% intervals and targets;
- ``"magic"``: the magic–misery map, each MOT at (SMOTO rate, lift);
- ``"trend"``: p-charts (SMOTO rate per period with control limits) of the
  alerted MOTs;
- ``"gap"``: the designed journey against reality (needs a design).
"""

#: Every :data:`PlotKind`, in order.
KINDS: tuple[PlotKind, ...] = get_args(PlotKind)


def _plt() -> Any:
    plt = require("matplotlib.pyplot")
    return plt


def draw(d: dict[str, Any], kind: PlotKind = "smoto", ax: Any = None) -> Any:
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


def _label_inches(labels: list[str], fontsize: float) -> float:
    """A generous estimate of the widest label's width, in inches (a
    character is at most ~0.55 em in the default sans-serif)."""
    return max((len(s) for s in labels), default=0) * 0.55 * fontsize / 72


def smoto(d: dict[str, Any], ax: Any = None) -> Any:
    """SMOTO rates with Wilson 95% intervals, coloured by alignment; targets as ticks."""
    plt = _plt()
    mots = [m for m in d["mots"] if m["smoto_rate"] is not None]
    labels = [m["name"] or m["id"] for m in mots]
    own = ax is None
    if own:
        # Room for the longest label beside a plot area of 6 inches.
        _, ax = plt.subplots(figsize=(6.5 + _label_inches(labels, 10), 0.35 * len(mots) + 1.2))
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
    if own:
        ax.figure.tight_layout()
    return ax.figure


def magic_misery(d: dict[str, Any], ax: Any = None) -> Any:
    """Each MOT at (SMOTO rate, lift), sized by removal effect, coloured by
    class, labelled with its id beside the point (a thin leader line when
    the label had to move away)."""
    plt = _plt()
    own = ax is None
    if own:
        _, ax = plt.subplots(figsize=(7, 5))
    shown = [m for m in d["mots"] if m["smoto_rate"] is not None and m["lift"] is not None]
    sizes = [30 + 400 * (m["removal_effect"] or 0.0) for m in shown]
    for m, size in zip(shown, sizes):
        ax.scatter(m["smoto_rate"], m["lift"], s=size, color=COLOURS[m["alignment"]], alpha=0.6)
    ax.axhline(0, color="#bbbbbb", linewidth=0.8)
    ax.set_xlabel("SMOTO rate")
    ax.set_ylabel("lift: P(SCO | ok) − P(SCO | failed)")
    ax.set_title("Moments of magic and misery")
    # Room around the points for their labels, then the limits stay put.
    ax.margins(0.12)
    ax.autoscale_view()
    ax.set_xlim(ax.get_xlim())
    ax.set_ylim(ax.get_ylim())
    if own:
        ax.figure.tight_layout()
    texts = place_labels(
        ax,
        [(m["smoto_rate"], m["lift"]) for m in shown],
        [m["id"] for m in shown],
        [size**0.5 / 2 for size in sizes],
    )
    if len(texts) < len(shown):
        ax.set_title(f"Moments of magic and misery ({len(shown) - len(texts)} labels left out: no room)")
    return ax.figure


def place_labels(
    ax: Any,
    points: list[tuple[float, float]],
    labels: list[str],
    radii: list[float],
    fontsize: float = 7,
    min_fontsize: float = 5,
) -> list[Any]:
    """Labels each point so that no two labels overlap and every label lies
    inside the axes; returns the label annotations.

    Greedy placement over candidate positions measured with the renderer:
    the most crowded points go first; each label takes the free position
    nearest its point (rings of positions around the marker, then a grid
    over the whole axes), avoiding other markers where it can. A label that
    is not adjacent to its point gets a thin leader line. When a label finds
    no free position, every label is laid out again one point smaller, down
    to ``min_fontsize``; a label that still does not fit is left out.

    Positions are offsets in points from the data point, so the layout holds
    at any dpi; it is computed for the axes' size at the time of the call.

    Args:
        ax: the axes, its limits and layout already final.
        points: ``(x, y)`` in data coordinates.
        labels: one text per point.
        radii: each marker's radius in points (what the label keeps clear of).
        fontsize: the labels' size in points.
        min_fontsize: the smallest size tried.
    """
    import numpy as np  # a dependency of matplotlib

    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    px = fig.dpi / 72  # pixels per point
    n = len(points)
    if n == 0:
        return []
    box = ax.get_window_extent(renderer)
    inner = (box.x0 + 2, box.y0 + 2, box.x1 - 2, box.y1 - 2)
    at = ax.transData.transform(np.asarray(points, dtype=float))
    r = np.asarray(radii, dtype=float) * px
    # The most crowded first: neighbours within 60 points, then the biggest.
    gaps = np.hypot(*(at[:, None, :] - at[None, :, :]).transpose(2, 0, 1))
    crowd = (gaps < 60 * px).sum(axis=1)
    order = sorted(range(n), key=lambda i: (-crowd[i], -r[i], labels[i]))

    size = fontsize
    while True:
        placed = _layout(ax, renderer, at, r, inner, labels, order, size)
        if all(p is not None for p in placed) or size - 1 < min_fontsize:
            break
        size -= 1

    texts = []
    for i, p in enumerate(placed):
        if p is None:
            continue
        x0, y0, x1, y1 = p
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        texts.append(
            ax.annotate(
                labels[i],
                points[i],
                xytext=((cx - at[i, 0]) / px, (cy - at[i, 1]) / px),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=size,
                annotation_clip=False,
            )
        )
        # Distance from the point to the label's box: a leader line when the
        # label is not right beside its marker.
        nx, ny = min(max(at[i, 0], x0), x1), min(max(at[i, 1], y0), y1)
        if np.hypot(nx - at[i, 0], ny - at[i, 1]) > r[i] + 4 * px:
            ax.annotate(
                "",
                points[i],
                xytext=((nx - at[i, 0]) / px, (ny - at[i, 1]) / px),
                textcoords="offset points",
                arrowprops={"arrowstyle": "-", "color": "#78909c", "linewidth": 0.6, "shrinkA": 0, "shrinkB": r[i] / px},
                annotation_clip=False,
            )
    return texts


def _layout(
    ax: Any, renderer: Any, at: Any, r: Any, inner: Any, labels: list[str], order: list[int], fontsize: float
) -> list[Any]:
    """One greedy pass at one font size: each label's box (display pixels), or None.

    The axes is rasterised at one pixel: an integral image of the labels
    placed so far (each grown by a small gap) answers "is this box free?"
    and one of the markers "how much marker does it cover?" in constant
    time per candidate, so every candidate of every label is checked.
    """
    import numpy as np

    px = ax.figure.dpi / 72
    pad = 2 * px
    # Each label's extent, measured by the renderer.
    extents = []
    for label in labels:
        t = ax.text(0, 0, label, fontsize=fontsize)
        bb = t.get_window_extent(renderer)
        t.remove()
        extents.append((bb.width, bb.height))
    ox, oy = int(np.floor(inner[0])), int(np.floor(inner[1]))
    width, height = int(np.ceil(inner[2])) - ox, int(np.ceil(inner[3])) - oy

    def integral(raster: Any) -> Any:
        out = np.zeros((height + 1, width + 1))
        out[1:, 1:] = raster.cumsum(axis=0).cumsum(axis=1)
        return out

    def cells(boxes: Any) -> tuple[Any, Any, Any, Any]:
        c0 = np.clip(np.floor(boxes[:, 0] - ox), 0, width).astype(int)
        c1 = np.clip(np.ceil(boxes[:, 2] - ox), 0, width).astype(int)
        r0 = np.clip(np.floor(boxes[:, 1] - oy), 0, height).astype(int)
        r1 = np.clip(np.ceil(boxes[:, 3] - oy), 0, height).astype(int)
        return c0, c1, r0, r1

    def total(image: Any, boxes: Any) -> Any:
        c0, c1, r0, r1 = cells(boxes)
        return image[r1, c1] - image[r0, c1] - image[r1, c0] + image[r0, c0]

    # The markers, as discs.
    rows, cols = np.mgrid[0:height, 0:width]
    marked = np.zeros((height, width))
    for (x, y), ri in zip(at, r):
        c0, c1, r0, r1 = (v[0] for v in cells(np.array([[x - ri, y - ri, x + ri, y + ri]])))
        window = (slice(r0, r1), slice(c0, c1))
        marked[window] += (cols[window] + ox + 0.5 - x) ** 2 + (rows[window] + oy + 0.5 - y) ** 2 <= ri**2
    marker_image = integral(marked)
    taken = np.zeros((height, width))
    taken_image = integral(taken)

    angles = np.deg2rad(np.arange(0, 360, 22.5))
    cos, sin = np.cos(angles), np.sin(angles)
    # Where the box sits relative to its anchor: fully to the side it points
    # to, sliding smoothly through the diagonals.
    sx, sy = np.clip(cos / 0.38, -1, 1), np.clip(sin / 0.38, -1, 1)
    placed: list[Any] = [None] * len(labels)
    for i in order:
        w, h = extents[i]
        x, y = at[i]
        # Rings around the marker, then a grid over the whole axes.
        centres = [
            np.column_stack([x + d * cos + sx * w / 2, y + d * sin + sy * h / 2])
            for d in r[i] + pad + np.arange(6) * (h + pad)
        ]
        gx = np.arange(inner[0] + w / 2, inner[2] - w / 2 + 1e-9, max(w / 4, 2.0))
        gy = np.arange(inner[1] + h / 2, inner[3] - h / 2 + 1e-9, max(h / 2, 2.0))
        if gx.size and gy.size:
            cx, cy = np.meshgrid(gx, gy)
            centres.append(np.column_stack([cx.ravel(), cy.ravel()]))
        c = np.concatenate(centres)
        boxes = np.column_stack([c[:, 0] - w / 2, c[:, 1] - h / 2, c[:, 0] + w / 2, c[:, 1] + h / 2])
        inside = (boxes[:, 0] >= inner[0]) & (boxes[:, 1] >= inner[1]) & (boxes[:, 2] <= inner[2]) & (boxes[:, 3] <= inner[3])
        free = inside & (total(taken_image, boxes) == 0)
        if not free.any():
            continue
        # Nearest to the point, and off other markers where possible: covering
        # a label's area of marker costs as much as moving three label
        # heights away.
        dx = np.maximum(np.maximum(boxes[:, 0] - x, 0), x - boxes[:, 2])
        dy = np.maximum(np.maximum(boxes[:, 1] - y, 0), y - boxes[:, 3])
        covered = total(marker_image, boxes) / (w * h)
        cost = np.hypot(dx, dy) + 3 * h * covered + 1e-3 * np.arange(len(boxes))
        cost[~free] = np.inf
        best = boxes[int(np.argmin(cost))]
        placed[i] = tuple(best)
        c0, c1, r0, r1 = (v[0] for v in cells(np.array([best + [-pad, -pad, pad, pad]])))
        taken[r0:r1, c0:c1] = 1
        taken_image = integral(taken)
    return placed


def trends(d: dict[str, Any], mots: list[str] | None = None) -> Any:
    """Trends with p-chart limits: the MOTs with alerts (or the first four),
    one panel each, over a shared UTC date axis."""
    plt = _plt()
    dates = require("matplotlib.dates")
    if mots is None:
        alerted = [a["mot"] for a in d["alerts"] if a["mot"] is not None]
        mots = list(dict.fromkeys(alerted)) or [t["mot"] for t in d["trends"][:4]]
    chosen = [t for t in d["trends"] if t["mot"] in mots and t["periods"]]
    if not chosen:
        raise ValueError("no trend to draw: no MOT has a SMOTO rate per period (has the log a success column?)")
    fig, axes = plt.subplots(len(chosen), 1, figsize=(8, 2.2 * max(len(chosen), 1) + 0.3), squeeze=False, sharex=True)
    for ax, t in zip(axes[:, 0], chosen):
        xs = [_utc(p["start"]) for p in t["periods"]]
        ax.fill_between(xs, [p["lcl"] for p in t["periods"]], [p["ucl"] for p in t["periods"]], color="#e3f2fd", step="mid")
        ax.plot(xs, [p["rate"] for p in t["periods"]], color="#37474f", linewidth=1)
        if t["centre"] is not None:
            ax.axhline(t["centre"], color="#90a4ae", linestyle="--", linewidth=0.8)
        out = [p for p in t["periods"] if p["out_of_control"]]
        ax.scatter([_utc(p["start"]) for p in out], [p["rate"] for p in out], color="#c62828", zorder=3, s=12)
        ax.set_title(f"{t['mot']} — SMOTO rate per {d['period']} with control limits", fontsize=9)
    bottom = axes[-1, 0]
    locator = dates.AutoDateLocator(maxticks=8)
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
    bottom.set_xlabel("period start (UTC)", fontsize=8)
    fig.tight_layout()
    return fig


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


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
        raise ValueError("no designed journey: give an experience or `designed=[...]`")
    by_id = {m["id"]: m for m in d["mots"]}
    steps = c["designed"]
    shares = [
        by_id[s]["gap"]["missing"] / c["journeys"] if c["journeys"] else 0.0 for s in steps
    ]
    labels = [f"{k + 1}. {by_id[s]['name'] or s}" for k, s in enumerate(steps)]

    def most(key: str) -> list[tuple[str, int]]:
        rows = [(m["name"] or m["id"], m["gap"][key]) for m in d["mots"] if m["gap"] and m["gap"][key] > 0]
        rows.sort(key=lambda r: (-r[1], r[0]))
        return rows[:top]

    repeats, detours = most("extra"), most("undesigned")
    rows = [(f"↻ {n}", v, "#ef6c00") for n, v in repeats] + [(f"↪ {n}", v, "#6a1b9a") for n, v in detours]
    # Room for the longest labels on both sides of plot areas of 5 and 3 inches.
    left_w, right_w = _label_inches(labels, 8), _label_inches([r[0] for r in rows], 8)
    fig, (left, right) = plt.subplots(
        1,
        2,
        figsize=(8.6 + left_w + right_w, 0.32 * max(len(steps), 2 * top) + 1.6),
        gridspec_kw={"width_ratios": [5 + left_w, 3 + right_w]},
    )
    y = list(range(len(steps)))[::-1]
    left.barh(y, shares, color="#c62828", alpha=0.8)
    left.set_yticks(y, labels, fontsize=8)
    left.set_xlabel("share of journeys that skipped the step")
    notes = [left.annotate(_pct(x), (x, yi), fontsize=7, xytext=(3, 0), textcoords="offset points", va="center") for yi, x in zip(y, shares)]

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
    # The share labels end inside the axes: widen the x range by the widest
    # label (measured) beyond the longest bar.
    renderer = fig.canvas.get_renderer()
    width = left.get_window_extent(renderer).width
    widest = max((t.get_window_extent(renderer).width for t in notes), default=0.0) + 6 * fig.dpi / 72
    top_share = max(shares + [0.05])
    left.set_xlim(0, top_share / max(1 - widest / width, 0.2) * 1.02)
    return fig
