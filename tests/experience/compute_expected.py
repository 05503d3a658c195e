#!/usr/bin/env python3
"""Independent computation of the expected outputs of the experience fixtures.

This script re-implements, in plain Python (standard library only), the rules
that `mot-core` documents for the `mot.experience/1` format: validation and
the order problems are reported in, the landscape queries (unexplained work,
cost roll-up, trace, failure impact), the designed journey, roles, and the
version diff. It does NOT import, call or build the library: its answers are
an independent check of the library's.

Usage (from anywhere):

    python3 tests/experience/compute_expected.py          # rewrite expected.json files
    python3 tests/experience/compute_expected.py --check  # fail if any differs

Each case folder holds its input(s) and `expected.json`; see README.md.
"""

import json
import sys
from collections import deque
from pathlib import Path

HERE = Path(__file__).resolve().parent


# ---------------------------------------------------------------------------
# Compensated summation (the library documents Neumaier sums).
# ---------------------------------------------------------------------------


class Sum:
    """Neumaier running sum: the rounding error of each addition is kept."""

    def __init__(self, values=()):
        self.sum = 0.0
        self.carry = 0.0
        for v in values:
            self.add(v)

    def add(self, x):
        x = float(x)
        t = self.sum + x
        if abs(self.sum) >= abs(x):
            self.carry += (self.sum - t) + x
        else:
            self.carry += (x - t) + self.sum
        self.sum = t

    def merge(self, other):
        self.add(other.sum)
        self.add(other.carry)

    def copy(self):
        s = Sum()
        s.sum, s.carry = self.sum, self.carry
        return s

    def value(self):
        return self.sum + self.carry


# ---------------------------------------------------------------------------
# Shape check: the fixture must be well-formed `mot.experience/1` (every
# field known, required fields present, values of the right JSON type), so
# that it reaches validation instead of failing to parse.
# ---------------------------------------------------------------------------

TYPES = {"PP", "PS", "SP", "SS", "PO", "OP"}
CONTRIBUTIONS = {"direct", "enabling", "none"}
WORK_KINDS = {"process", "activity", "system", "team", "equipment", "policy"}
IDEA_STATUS = {"proposed", "under-review", "accepted", "implemented", "rejected"}


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_str(v):
    return isinstance(v, str)


def is_u32(v):
    return is_int(v) and 0 <= v < 2**32


def is_moment(v):
    """A date (midnight UTC) or an RFC 3339 timestamp in whole seconds."""
    return isinstance(v, str) and moment(v) is not None


def moment(text):
    """Seconds since the epoch of a date or an RFC 3339 timestamp; None when
    it is neither (or has a fraction of a second)."""
    from datetime import datetime

    t = text.strip()
    if len(t) == 10:
        t += "T00:00:00Z"
    try:
        dt = datetime.fromisoformat(t.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None or dt.microsecond:
        return None
    return int(dt.timestamp())


def moment_text(seconds):
    """As the library writes a moment: a date at midnight UTC, else RFC 3339."""
    from datetime import datetime, timezone

    dt = datetime.fromtimestamp(seconds, tz=timezone.utc)
    return dt.strftime("%Y-%m-%d") if seconds % 86_400 == 0 else dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def list_of(check):
    return lambda v: isinstance(v, list) and all(check(x) for x in v)


def obj(required, optional):
    fields = {**required, **optional}

    def check(v):
        if not isinstance(v, dict):
            return False
        if set(v) - set(fields):
            raise ValueError(f"unknown fields {sorted(set(v) - set(fields))} in {v}")
        for k in required:
            if k not in v:
                raise ValueError(f"missing field {k} in {v}")
        for k, c in fields.items():
            if k in v and not c(v[k]):
                raise ValueError(f"bad value for {k}: {v[k]!r}")
        return True

    return check


SHAPE = obj(
    {
        "format": lambda v: v == "mot.experience/1",
        "id": is_str,
        "name": is_str,
        "segment": is_str,
        "manager": is_str,
        "sco": obj({"one_liner": is_str, "definition": is_str}, {"target_rate": is_num}),
        "mots": list_of(
            obj(
                {
                    "id": is_str,
                    "name": is_str,
                    "type": lambda v: v in TYPES,
                    "smoto": obj({"description": is_str}, {"target_rate": is_num}),
                    "contribution": lambda v: v in CONTRIBUTIONS,
                },
                {
                    "description": is_str,
                    "manager": is_str,
                    "producers": list_of(is_str),
                    "position": is_u32,
                    "parent": is_str,
                    "dimensions": obj(
                        {"opportunity": is_num, "risk": is_num},
                        {
                            "scale": is_str,
                            "actual": is_num,
                            "value": is_num,
                            "return": is_num,
                            "cost": is_num,
                        },
                    ),
                    "design": obj(
                        {
                            "steps": list_of(
                                obj({"name": is_str}, {"description": is_str, "work": list_of(is_str)})
                            )
                        },
                        {},
                    ),
                },
            )
        ),
    },
    {
        "version": is_str,
        "effective_from": is_moment,
        "currency": is_str,
        "maturity": obj({"technology": is_int, "people": is_int, "sco_development": is_int}, {}),
        "people": list_of(obj({"id": is_str, "name": is_str}, {"title": is_str})),
        "ideas": list_of(
            obj(
                {
                    "id": is_str,
                    "mot": is_str,
                    "author": is_str,
                    "title": is_str,
                    "status": lambda v: v in IDEA_STATUS,
                },
                {"description": is_str, "submitted_at": is_moment, "implemented_at": is_moment},
            )
        ),
        "landscape": obj(
            {},
            {
                "work": list_of(
                    obj(
                        {"id": is_str, "name": is_str, "kind": lambda v: v in WORK_KINDS},
                        {
                            "description": is_str,
                            "owner": is_str,
                            "cost": is_num,
                            "mots": list_of(obj({"mot": is_str}, {"weight": is_num})),
                            "supports": list_of(obj({"work": is_str}, {"weight": is_num})),
                        },
                    )
                )
            },
        ),
    },
)


def load(path):
    doc = json.loads(path.read_text())
    if not SHAPE(doc):
        raise ValueError(f"{path} is not a well-formed mot.experience/1 document")
    # Fill the defaults of optional collections.
    doc.setdefault("people", [])
    doc.setdefault("ideas", [])
    doc.setdefault("landscape", {})
    doc["landscape"].setdefault("work", [])
    for m in doc["mots"]:
        m.setdefault("producers", [])
    for w in doc["landscape"]["work"]:
        w.setdefault("mots", [])
        w.setdefault("supports", [])
    return doc


def num(v):
    """A JSON number as the f64 the library reads it as (None stays None)."""
    return None if v is None else float(v)


# ---------------------------------------------------------------------------
# Graph helper: cycles, one per strongly connected component.
# ---------------------------------------------------------------------------


def reach_sets(adj):
    n = len(adj)
    reach = []
    for s in range(n):
        seen, stack = set(), [s]
        while stack:
            v = stack.pop()
            for w in adj[v]:
                if w not in seen:
                    seen.add(w)
                    stack.append(w)
        reach.append(seen)  # nodes reachable in >= 1 step
    return reach


def cycles(adj):
    """One cycle per strongly connected component that has one.

    From the component's smallest node, follow the first edge that stays in
    the component until a node repeats; the repeated stretch is the cycle,
    rotated to start at its smallest node. Cycles sorted by their node lists.
    """
    n = len(adj)
    reach = reach_sets(adj)
    comp = [None] * n
    comps = []
    for v in range(n):
        if comp[v] is not None:
            continue
        members = {v} | {u for u in reach[v] if v in reach[u]}
        for u in members:
            comp[u] = len(comps)
        comps.append(members)
    found = []
    for c, members in enumerate(comps):
        start = min(members)
        if len(members) == 1 and start not in adj[start]:
            continue
        path, seen_at, cur = [], {}, start
        while cur not in seen_at:
            seen_at[cur] = len(path)
            path.append(cur)
            nxt = [w for w in adj[cur] if comp[w] == c]
            cur = nxt[0]
        cyc = path[seen_at[cur]:]
        k = cyc.index(min(cyc))
        found.append(cyc[k:] + cyc[:k])
    return sorted(found)


# ---------------------------------------------------------------------------
# Validation, in the order the library reports problems.
# ---------------------------------------------------------------------------


def validate(doc):
    out = []

    def push(path, kind, **fields):
        out.append({"path": path, "kind": kind, **fields})

    def not_empty(path, text):
        if text.strip() == "":
            push(path, "empty")

    def rate(path, value):
        if value is not None and not (0.0 <= value <= 1.0):
            push(path, "rate-out-of-range", value=num(value))

    def cost(path, value):
        # Non-finite numbers cannot be written in JSON, so only the sign is checked.
        if value is not None and value < 0:
            push(path, "negative-cost", value=num(value))

    def ids(what, prefix, values):
        first = {}
        for i, v in enumerate(values):
            if v.strip() == "":
                push(f"{prefix}[{i}].id", "empty")
                continue
            if v in first:
                push(f"{prefix}[{i}].id", "duplicate-id", what=what, id=v, first=f"{prefix}[{first[v]}]")
            else:
                first[v] = i
        return first

    def ref(path, what, v, known):
        if v not in known:
            push(path, "dangling-reference", what=what, id=v)
            return None
        return known[v]

    def unique_links(prefix, what, values):
        seen = set()
        for j, v in enumerate(values):
            if v in seen:
                push(f"{prefix}[{j}]", "duplicate-link", what=what, id=v)
            seen.add(v)

    # The experience itself.
    for field in ("id", "name", "segment"):
        not_empty(field, doc[field])
    not_empty("sco.one_liner", doc["sco"]["one_liner"])
    not_empty("sco.definition", doc["sco"]["definition"])
    rate("sco.target_rate", doc["sco"].get("target_rate"))
    if "maturity" in doc:
        for name in ("technology", "people", "sco_development"):
            v = doc["maturity"][name]
            if not 1 <= v <= 10:
                push(f"maturity.{name}", "score-out-of-range", value=v)

    # People, the Experience Manager, then the ids of MOTs and work.
    people = ids("person", "people", [p["id"] for p in doc["people"]])
    for i, p in enumerate(doc["people"]):
        not_empty(f"people[{i}].name", p["name"])
    ref("manager", "person", doc["manager"], people)
    mots = ids("mot", "mots", [m["id"] for m in doc["mots"]])
    work = ids("work item", "landscape.work", [w["id"] for w in doc["landscape"]["work"]])

    # Each MOT.
    positions = {}
    parent_edges = [[] for _ in doc["mots"]]
    for i, m in enumerate(doc["mots"]):
        at = f"mots[{i}]"
        not_empty(f"{at}.name", m["name"])
        not_empty(f"{at}.smoto.description", m["smoto"]["description"])
        rate(f"{at}.smoto.target_rate", m["smoto"].get("target_rate"))
        if "manager" in m:
            ref(f"{at}.manager", "person", m["manager"], people)
        for j, p in enumerate(m["producers"]):
            ref(f"{at}.producers[{j}]", "person", p, people)
        unique_links(f"{at}.producers", "person", m["producers"])
        resolved = True  # parent known (or none at all)
        parent = None
        if "parent" in m:
            parent = ref(f"{at}.parent", "mot", m["parent"], mots)
            if parent is None:
                resolved = False
            else:
                parent_edges[i].append(parent)
        pos = m.get("position")
        if pos == 0:
            push(f"{at}.position", "zero-position")
        elif pos is not None and resolved:
            key = (parent, pos)
            if key in positions:
                push(f"{at}.position", "duplicate-position", position=pos, other=doc["mots"][positions[key]]["id"])
            else:
                positions[key] = i
        if "dimensions" in m:
            d = m["dimensions"]
            if d["opportunity"] <= d["risk"]:
                push(f"{at}.dimensions", "best-not-above-worst", best=num(d["opportunity"]), worst=num(d["risk"]))
            cost(f"{at}.dimensions.cost", d.get("cost"))
        if "design" in m:
            for k, step in enumerate(m["design"]["steps"]):
                sat = f"{at}.design.steps[{k}]"
                not_empty(f"{sat}.name", step["name"])
                for l, w in enumerate(step.get("work", [])):
                    ref(f"{sat}.work[{l}]", "work item", w, work)
    for cyc in cycles(parent_edges):
        names = [doc["mots"][i]["id"] for i in cyc]
        push(f"mots[{cyc[0]}].parent", "nesting-cycle", cycle=names + [names[0]])

    # Ideas.
    ids("idea", "ideas", [x["id"] for x in doc["ideas"]])
    for i, idea in enumerate(doc["ideas"]):
        at = f"ideas[{i}]"
        ref(f"{at}.mot", "mot", idea["mot"], mots)
        ref(f"{at}.author", "person", idea["author"], people)
        not_empty(f"{at}.title", idea["title"])
        sub, imp = idea.get("submitted_at"), idea.get("implemented_at")
        if sub is not None and imp is not None and moment(imp) < moment(sub):
            push(
                f"{at}.implemented_at",
                "before-submitted",
                implemented=moment_text(moment(imp)),
                submitted=moment_text(moment(sub)),
            )
        if imp is not None and idea["status"] != "implemented":
            push(f"{at}.implemented_at", "not-implemented", status=idea["status"])

    # The landscape.
    support_edges = [[] for _ in doc["landscape"]["work"]]
    for i, w in enumerate(doc["landscape"]["work"]):
        at = f"landscape.work[{i}]"
        not_empty(f"{at}.name", w["name"])
        cost(f"{at}.cost", w.get("cost"))
        if "owner" in w:
            ref(f"{at}.owner", "person", w["owner"], people)
        for j, l in enumerate(w["mots"]):
            ref(f"{at}.mots[{j}].mot", "mot", l["mot"], mots)
        unique_links(f"{at}.mots", "mot", [l["mot"] for l in w["mots"]])
        for j, l in enumerate(w["supports"]):
            t = ref(f"{at}.supports[{j}].work", "work item", l["work"], work)
            if t is not None:
                support_edges[i].append(t)
        unique_links(f"{at}.supports", "work item", [l["work"] for l in w["supports"]])
        links = [(f"{at}.mots[{j}].weight", l) for j, l in enumerate(w["mots"])]
        links += [(f"{at}.supports[{j}].weight", l) for j, l in enumerate(w["supports"])]
        declared = missing = 0
        for path, l in links:
            if "weight" in l:
                declared += 1
                if not l["weight"] > 0:
                    push(path, "invalid-weight", value=num(l["weight"]))
            else:
                missing += 1
        if declared and missing:
            push(at, "mixed-weights")
    for cyc in cycles(support_edges):
        names = [doc["landscape"]["work"][i]["id"] for i in cyc]
        push(f"landscape.work[{cyc[0]}].supports", "landscape-cycle", cycle=names + [names[0]])
    return out


# ---------------------------------------------------------------------------
# Queries on a valid experience.
# ---------------------------------------------------------------------------


class Model:
    def __init__(self, doc):
        assert validate(doc) == [], "the experience must be valid"
        self.doc = doc
        self.mots = doc["mots"]
        self.work = doc["landscape"]["work"]
        self.mot_ix = {m["id"]: i for i, m in enumerate(self.mots)}
        self.work_ix = {w["id"]: i for i, w in enumerate(self.work)}
        self.parent = [self.mot_ix.get(m.get("parent")) if "parent" in m else None for m in self.mots]
        self.supports = [[self.work_ix[l["work"]] for l in w["supports"]] for w in self.work]
        self.order = self.support_order()

    # -- structure --------------------------------------------------------

    def support_order(self):
        """Kahn's algorithm, ties broken by document index: every item comes
        before the items it supports."""
        indeg = [0] * len(self.work)
        for ts in self.supports:
            for t in ts:
                indeg[t] += 1
        ready = sorted(i for i in range(len(self.work)) if indeg[i] == 0)
        order = []
        while ready:
            i = ready.pop(0)
            order.append(i)
            for t in self.supports[i]:
                indeg[t] -= 1
                if indeg[t] == 0:
                    ready.append(t)
                    ready.sort()
        assert len(order) == len(self.work)
        return order

    def ancestors(self, m):
        out, at = [], self.parent[m]
        while at is not None:
            out.append(at)
            at = self.parent[at]
        return out

    def designed_order(self, indexes):
        """Positioned first by position, then the rest in document order."""
        return sorted(indexes, key=lambda i: (self.mots[i].get("position", 2**32), i))

    def children(self, m):
        return self.designed_order([c for c in range(len(self.mots)) if self.parent[c] == m])

    def designed_journey(self):
        """Positioned top-level MOTs in order, each nested MOT replaced by its
        positioned children, recursively."""
        out = []

        def leaves(i):
            if "position" not in self.mots[i]:
                return
            kids = [c for c in self.children(i) if "position" in self.mots[c]]
            if not kids:
                out.append(i)
            for c in kids:
                leaves(c)

        for i in self.designed_order([i for i in range(len(self.mots)) if self.parent[i] is None]):
            leaves(i)
        return out

    def roles(self):
        d = self.doc
        out = {}
        for p in d["people"]:
            pid = p["id"]
            roles = []
            if d["manager"] == pid:
                roles.append("experience-manager")
            if any(m.get("manager") == pid for m in self.mots):
                roles.append("mot-manager")
            if any(pid in m["producers"] for m in self.mots) or any(x["author"] == pid for x in d["ideas"]):
                roles.append("experience-producer")
            out[pid] = roles
        return out

    # -- landscape --------------------------------------------------------

    def downstream(self, start):
        """The item and every item it supports, transitively."""
        seen, stack = {start}, [start]
        while stack:
            for t in self.supports[stack.pop()]:
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        return seen

    def unexplained(self):
        return [
            w["id"]
            for i, w in enumerate(self.work)
            if not any(self.work[j]["mots"] for j in self.downstream(i))
        ]

    def shares(self, w):
        weights = [l.get("weight") for l in w["mots"]] + [l.get("weight") for l in w["supports"]]
        n = len(weights)
        if all(x is not None for x in weights):
            total = 0.0
            for x in weights:
                total += float(x)
            if total > 0:
                return [float(x) / total for x in weights]
        return [1.0 / n] * n

    def cost_rollup(self):
        inflow = [Sum([num(w.get("cost", 0))]) for w in self.work]
        own = [Sum() for _ in self.mots]
        unexplained = Sum()
        for i in self.order:
            w = self.work[i]
            amount = inflow[i].value()
            if not w["mots"] and not w["supports"]:
                unexplained.add(amount)
                continue
            targets = [(True, self.mot_ix[l["mot"]]) for l in w["mots"]]
            targets += [(False, t) for t in self.supports[i]]
            for (is_mot, t), share in zip(targets, self.shares(w)):
                (own if is_mot else inflow)[t].add(amount * share)
        nested = [s.copy() for s in own]
        for m, s in enumerate(own):
            for a in self.ancestors(m):
                nested[a].merge(s)
        allocated = Sum([s.value() for s in own])
        total = Sum([num(w.get("cost", 0)) for w in self.work])
        result = {
            "mots": [
                {"mot": m["id"], "own": own[i].value(), "including_nested": nested[i].value()}
                for i, m in enumerate(self.mots)
            ],
            "allocated": allocated.value(),
            "unexplained": unexplained.value(),
            "total": total.value(),
            "uncosted": [w["id"] for w in self.work if "cost" not in w],
        }
        # Nothing is lost.
        assert abs(result["allocated"] + result["unexplained"] - result["total"]) <= 1e-9 * result["total"]
        return result

    def trace(self, wid):
        start = self.work_ix[wid]
        # Breadth-first: the first chain found to an item is a shortest one.
        came_from = {start: None}
        queue = deque([start])
        reached = {}
        while queue:
            i = queue.popleft()
            for l in self.work[i]["mots"]:
                reached.setdefault(self.mot_ix[l["mot"]], i)
            for t in self.supports[i]:
                if t not in came_from:
                    came_from[t] = i
                    queue.append(t)

        def chain(i):
            via = [i]
            while came_from[i] is not None:
                i = came_from[i]
                via.append(i)
            return [self.work[j]["id"] for j in reversed(via)]

        self.assert_unique_shortest_chains(start, reached)
        mots = [
            {"mot": self.mots[m]["id"], "via": chain(reached[m]), "contribution": self.mots[m]["contribution"]}
            for m in sorted(reached)
        ]
        enclosing = []
        for m in sorted(reached):
            for a in self.ancestors(m):
                if a not in reached and self.mots[a]["id"] not in enclosing:
                    enclosing.append(self.mots[a]["id"])
        serves = any(
            self.mots[self.mot_ix[x]]["contribution"] != "none"
            for x in [t["mot"] for t in mots] + enclosing
        )
        return {
            "work": wid,
            "mots": mots,
            "enclosing": enclosing,
            "serves_sco": serves,
            "sco": self.doc["sco"]["one_liner"],
        }

    def assert_unique_shortest_chains(self, start, reached):
        """The fixture avoids ties: every MOT reached has exactly one shortest
        chain of work, so no tie-breaking rule is being tested."""
        # Count shortest paths to each work item.
        dist, count = {start: 0}, {start: 1}
        queue = deque([start])
        while queue:
            i = queue.popleft()
            for t in self.supports[i]:
                if t not in dist:
                    dist[t] = dist[i] + 1
                    count[t] = count[i]
                    queue.append(t)
                elif dist[t] == dist[i] + 1:
                    count[t] += count[i]
        for m in reached:
            best = min(dist[i] for i in dist if any(self.mot_ix[l["mot"]] == m for l in self.work[i]["mots"]))
            n = sum(
                count[i]
                for i in dist
                if dist[i] == best and any(self.mot_ix[l["mot"]] == m for l in self.work[i]["mots"])
            )
            assert n == 1, f"tie in the shortest chain to {self.mots[m]['id']}"

    def failure_impact(self, wid):
        start = self.work_ix[wid]
        impaired = self.downstream(start)
        in_doc = [i for i in range(len(self.work)) if i in impaired]
        n = len(self.mots)
        hit = [False] * n
        for i in impaired:
            for l in self.work[i]["mots"]:
                hit[self.mot_ix[l["mot"]]] = True

        def under_hit(m):  # it, or an MOT enclosing it, is hit
            return hit[m] or any(hit[a] for a in self.ancestors(m))

        at_risk = [under_hit(m) or any(hit[c] and m in self.ancestors(c) for c in range(n)) for m in range(n)]
        journey = self.designed_journey()
        steps_at_risk = sum(1 for m in journey if under_hit(m))
        return {
            "work": wid,
            "impaired": [self.work[i]["id"] for i in in_doc],
            "hit": [self.mots[m]["id"] for m in range(n) if hit[m]],
            "at_risk": [self.mots[m]["id"] for m in range(n) if at_risk[m]],
            "journey_steps": len(journey),
            "journey_steps_at_risk": steps_at_risk,
            "journey_share": (steps_at_risk / len(journey)) if journey else None,
            "sco_at_risk": any(at_risk[m] and self.mots[m]["contribution"] != "none" for m in range(n)),
        }


# ---------------------------------------------------------------------------
# Version diff.
# ---------------------------------------------------------------------------


def diff(old, new):
    def first_by_id(items):
        out = {}
        for x in items:
            out.setdefault(x["id"], x)
        return out

    def only_in(items, other):
        out = []
        for x in items:
            if x["id"] not in other and x["id"] not in out:
                out.append(x["id"])
        return out

    def pairs(new_items, old_map):
        seen, out = set(), []
        for b in new_items:
            if b["id"] in seen:
                continue
            seen.add(b["id"])
            if b["id"] in old_map:
                out.append((old_map[b["id"]], b))
        return out

    d = {
        "from_version": old.get("version"),
        "to_version": new.get("version"),
        "mots_added": [],
        "mots_removed": [],
        "renamed": [],
        "retyped": [],
        "reowned": [],
        "smoto_target_changed": [],
        "moved": [],
        "contribution_changed": [],
        "work_added": [],
        "work_removed": [],
        "work_links_changed": [],
    }
    om, nm = first_by_id(old["mots"]), first_by_id(new["mots"])
    d["mots_added"] = only_in(new["mots"], om)
    d["mots_removed"] = only_in(old["mots"], nm)

    def place(m):
        return {"parent": m.get("parent"), "position": m.get("position")}

    for a, b in pairs(new["mots"], om):
        def change(key, f, t):
            d[key].append({"mot": b["id"], "from": f, "to": t})

        if a["name"] != b["name"]:
            change("renamed", a["name"], b["name"])
        if a["type"] != b["type"]:
            change("retyped", a["type"], b["type"])
        if a.get("manager") != b.get("manager"):
            change("reowned", a.get("manager"), b.get("manager"))
        ta, tb = num(a["smoto"].get("target_rate")), num(b["smoto"].get("target_rate"))
        if ta != tb:
            change("smoto_target_changed", ta, tb)
        if place(a) != place(b):
            change("moved", place(a), place(b))
        if a["contribution"] != b["contribution"]:
            change("contribution_changed", a["contribution"], b["contribution"])

    ow, nw = first_by_id(old["landscape"]["work"]), first_by_id(new["landscape"]["work"])
    d["work_added"] = only_in(new["landscape"]["work"], ow)
    d["work_removed"] = only_in(old["landscape"]["work"], nw)
    for a, b in pairs(new["landscape"]["work"], ow):
        def links(w):
            return [("mot", l["mot"], num(l.get("weight"))) for l in w["mots"]] + [
                ("work", l["work"], num(l.get("weight"))) for l in w["supports"]
            ]

        la, lb = links(a), links(b)

        def weight_in(ls, kind, id_):
            for k, i, wt in ls:
                if (k, i) == (kind, id_):
                    return True, wt
            return False, None

        c = {
            "work": b["id"],
            "mots_added": [],
            "mots_removed": [],
            "supports_added": [],
            "supports_removed": [],
            "mots_reweighted": [],
            "supports_reweighted": [],
        }
        for kind, id_, wt in lb:
            found, old_wt = weight_in(la, kind, id_)
            if not found:
                c["mots_added" if kind == "mot" else "supports_added"].append(id_)
            elif old_wt != wt:
                c["mots_reweighted" if kind == "mot" else "supports_reweighted"].append(id_)
        for kind, id_, _ in la:
            if not weight_in(lb, kind, id_)[0]:
                c["mots_removed" if kind == "mot" else "supports_removed"].append(id_)
        if any(c[k] for k in c if k != "work"):
            d["work_links_changed"].append(c)
    return d


# ---------------------------------------------------------------------------
# The cases.
# ---------------------------------------------------------------------------

TRACED = ["eq-scanner", "team-it", "pol-delivery-window", "team-care", "team-admin"]
FAILING = ["pol-delivery-window", "eq-scanner", "proc-delivery-round", "team-care", "team-admin"]


def landscape_small():
    doc = load(HERE / "landscape-small" / "experience.json")
    x = Model(doc)
    return {
        "valid": True,
        "unexplained": x.unexplained(),
        "cost_rollup": x.cost_rollup(),
        "trace": {w: x.trace(w) for w in TRACED},
        "failure_impact": {w: x.failure_impact(w) for w in FAILING},
        "designed_journey": [x.mots[i]["id"] for i in x.designed_journey()],
        "roles": x.roles(),
    }


def invalid_all():
    doc = load(HERE / "invalid-all" / "experience.json")
    problems = validate(doc)
    kinds = {p["kind"] for p in problems}
    every = {
        "empty", "duplicate-id", "dangling-reference", "nesting-cycle", "landscape-cycle",
        "score-out-of-range", "rate-out-of-range", "negative-cost", "best-not-above-worst",
        "duplicate-position", "zero-position", "invalid-weight", "mixed-weights", "duplicate-link",
        "before-submitted", "not-implemented",
    }  # fmt: skip
    assert every <= kinds, f"missing kinds: {every - kinds}"
    dangling = {p["what"] for p in problems if p["kind"] == "dangling-reference"}
    assert {"person", "mot", "work item"} <= dangling
    return {"valid": False, "problems": problems}


def diff_small():
    old = load(HERE / "diff-small" / "old.json")
    new = load(HERE / "diff-small" / "new.json")
    assert validate(old) == [] and validate(new) == [], "both versions must be valid"
    d = diff(old, new)
    for key, value in d.items():
        assert value not in ([], None), f"diff list {key} is not exercised"
    for key in ("mots_added", "mots_removed", "supports_added", "supports_removed", "mots_reweighted", "supports_reweighted"):
        assert any(c[key] for c in d["work_links_changed"]), f"work_links_changed.{key} not exercised"
    assert any(c["to"] is None for c in d["reowned"]), "no re-owning to nobody"
    return {"diff": d}


CASES = {
    "landscape-small": landscape_small,
    "invalid-all": invalid_all,
    "diff-small": diff_small,
}


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for name, compute in CASES.items():
        text = json.dumps(compute(), indent=2, ensure_ascii=False) + "\n"
        path = HERE / name / "expected.json"
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
            print(f"wrote {path.relative_to(HERE)}")
    if stale:
        sys.exit(f"expected.json out of date for: {', '.join(stale)}")


if __name__ == "__main__":
    main()
