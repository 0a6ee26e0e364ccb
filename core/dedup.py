"""Reversal netting and duplicate merging across exports.

Rules (documented for analysts in the algorithm help):

* A *system* is identified by the name of its ID field (``Complaint`` in every monthly St. Louis file,
  ``EventNo`` in CAD, ``ReportNo`` in RMS). Monthly files of one system therefore net and merge
  together, while equal numbers in different systems (CAD event 123, 911 call 123) never do.
* Reversal: a row with a negative count nets out one earlier positive row with the same ID and raw
  category in the same system (the k-th reversal of a key nets the k-th record of that key); both
  rows are counted as *netted*. A reversal with nothing to net is rejected.
* Merged by ID: rows of one system with the same ID and raw category, consistent in time (1 day) and
  place (1 km), are one incident (repeated exports of the same record). Same ID but inconsistent:
  kept apart and flagged ``id_conflict``.
* Linked: a row whose reference field (for example RMS ``CADEvent``) names the ID of a row of
  another system is merged with it when they agree within 2 days and 2 km. A referenced row takes
  one link per system (the same category first, then the closest in time).
* Near-identical: rows of different systems with the same category, within the time and distance
  tolerances, with times known to the hour or better, are merged. Within one system only when
  asked (``within_source``): distinct IDs of one system otherwise never end up in one incident.

The merged incident takes its fields from the record of the highest-priority source (the order in
which sources are given) and its time from the most precise record; it keeps every record's
``source#row:id``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

PRECISION_RANK = {"second": 0, "minute": 0, "hour": 1, "day": 2, "month": 3, "": 9}
ID_TIME_TOLERANCE = np.timedelta64(1, "D")
ID_DISTANCE_TOLERANCE = 1000.0
LINK_TIME_TOLERANCE = np.timedelta64(2, "D")
LINK_DISTANCE_TOLERANCE = 2000.0


@dataclass
class DedupOptions:
    time_tolerance_minutes: float = 10.0
    distance_tolerance_m: float = 50.0
    within_source: bool = False
    require_same_category: bool = True


def net_reversals(frame: pd.DataFrame) -> pd.DataFrame:
    """Sets ``outcome`` to 'netted' for matched pairs and rejects unmatched reversals, in place."""
    eligible = ~frame["reason"].isin(["malformed_row", "invalid_count"]).to_numpy()
    eligible &= (frame["outcome"] != "duplicate").to_numpy()
    has_id = (frame["source_id"] != "").to_numpy()
    neg = eligible & (frame["sign"].to_numpy() < 0)
    pos = eligible & has_id & (frame["sign"].to_numpy() > 0)
    # Only records whose ID has a reversal somewhere can be netted: group just those.
    reversed_ids = frame["source_id"].to_numpy()[neg & has_id]
    involved = np.nonzero((neg | pos) & frame["source_id"].isin(reversed_ids).to_numpy())[0]
    key = np.full(len(frame), -1)
    key[involved] = (
        frame.iloc[involved]
        .groupby(["id_field", "source_id", "category_raw"], sort=False)
        .ngroup()
        .to_numpy()
    )
    pos_idx = np.nonzero(pos & (key >= 0))[0]
    neg_idx = np.nonzero(neg & has_id)[0]
    p = pd.DataFrame({"key": key[pos_idx], "pos": pos_idx})
    q = pd.DataFrame({"key": key[neg_idx], "neg": neg_idx})
    p["k"] = p.groupby("key").cumcount()
    q["k"] = q.groupby("key").cumcount()
    pairs = q.merge(p, on=["key", "k"], how="inner")
    matched_neg = pairs["neg"].to_numpy()
    matched_pos = pairs["pos"].to_numpy()
    outcome = frame["outcome"].to_numpy(dtype=object)
    reason = frame["reason"].to_numpy(dtype=object)
    detail = frame["detail"].to_numpy(dtype=object)
    label = (frame["source"] + "#" + frame["row_number"].astype(str)).to_numpy(dtype=object)
    for mine, other in ((matched_neg, matched_pos), (matched_pos, matched_neg)):
        outcome[mine] = "netted"
        reason[mine] = ""
        detail[mine] = "netted against " + label[other]
    unmatched = neg.copy()
    unmatched[matched_neg] = False
    reason[unmatched] = "unmatched_reversal"
    detail[unmatched] = np.where(
        has_id[unmatched], "no earlier record with this ID and category", "a reversal without an ID"
    ).astype(object)
    outcome[unmatched] = "rejected"
    frame["outcome"], frame["reason"], frame["detail"] = outcome, reason, detail
    return frame


class _Clusters:
    """Union-find whose clusters refuse to hold two different IDs of one system (unless allowed)."""

    def __init__(self, n: int, ids: np.ndarray, systems: np.ndarray, within_source: bool):
        self.parent = list(range(n))
        self.within_source = within_source
        self.ids = ids
        self.systems = systems
        self.members_ids: dict[int, dict[str, str]] = {}

    def _ids_of(self, root: int) -> dict[str, str]:
        if root in self.members_ids:
            return self.members_ids[root]
        return {self.systems[root]: self.ids[root]} if self.ids[root] != "" else {}

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int, check_ids: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ia, ib = self._ids_of(ra), self._ids_of(rb)
        if check_ids and not self.within_source:
            if any(ia[s] != ib[s] for s in ia.keys() & ib.keys()):
                return False
        if ra > rb:
            ra, rb = rb, ra
            ia, ib = ib, ia
        self.parent[rb] = ra
        merged = dict(ib)
        merged.update(ia)
        self.members_ids[ra] = merged
        self.members_ids.pop(rb, None)
        return True

    def roots(self) -> np.ndarray:
        """Root of every element; only elements touched by an edge need the walk."""
        parent = np.asarray(self.parent, dtype=np.int64)
        moved = np.nonzero(parent != np.arange(len(parent)))[0]
        for i in moved:
            parent[i] = self.find(int(i))
        return parent


def _id_edges(c: pd.DataFrame) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Edges between rows of one system with the same ID and raw category; flags inconsistent ones."""
    conflict = np.zeros(len(c), dtype=bool)
    ids = c["source_id"]
    with_id = c[(ids != "").to_numpy() & ids.duplicated(keep=False).to_numpy()]
    key = with_id.groupby(["id_field", "source_id", "category_raw"], sort=False).ngroup()
    dup = key.duplicated(keep=False).to_numpy()
    if not dup.any():
        return [], conflict
    sub = with_id[dup].assign(key=key[dup].to_numpy())
    first = sub.groupby("key")["pos"].transform("first").to_numpy()
    pos = sub["pos"].to_numpy()
    t = c["start_utc"].to_numpy()
    x, y = c["x"].to_numpy(), c["y"].to_numpy()
    dt = np.abs(t[pos] - t[first])
    dist = np.hypot(x[pos] - x[first], y[pos] - y[first])
    ok = (dt <= ID_TIME_TOLERANCE) & (dist <= ID_DISTANCE_TOLERANCE)
    edges = [(int(a), int(b)) for a, b, good in zip(first, pos, ok) if a != b and good]
    bad = ~ok
    conflict[pos[bad]] = True
    conflict[first[bad]] = True
    return edges, conflict


def _link_edges(c: pd.DataFrame) -> list[tuple[int, int]]:
    refs = c.loc[c["ref_id"] != "", ["pos", "ref_id", "id_field", "category", "start_utc", "x", "y"]]
    if refs.empty:
        return []
    targets = c.loc[c["source_id"] != "", ["pos", "source_id", "id_field", "category", "start_utc", "x", "y"]]
    m = refs.merge(targets, left_on="ref_id", right_on="source_id", suffixes=("", "_t"))
    m = m[m["id_field"] != m["id_field_t"]]
    if m.empty:
        return []
    dt = (m["start_utc"] - m["start_utc_t"]).abs()
    dist = np.hypot(m["x"] - m["x_t"], m["y"] - m["y_t"])
    m = m[(dt <= pd.Timedelta(LINK_TIME_TOLERANCE)) & (dist <= LINK_DISTANCE_TOLERANCE)].copy()
    m["other_category"] = (m["category"] != m["category_t"]).astype(int)
    m["dt"] = (m["start_utc"] - m["start_utc_t"]).abs()
    m = m.sort_values(["pos_t", "id_field", "other_category", "dt", "pos"])
    m = m.drop_duplicates(["pos_t", "id_field"])
    return list(zip(m["pos_t"].astype(int), m["pos"].astype(int)))


def _proximity_edges(c: pd.DataFrame, opts: DedupOptions) -> list[tuple[int, int]]:
    fine = c["precision"].map(PRECISION_RANK).fillna(9).to_numpy() <= 1
    idx = np.nonzero(fine)[0]
    if len(idx) < 2:
        return []
    t = c["start_utc"].to_numpy()[idx].astype("datetime64[s]").astype(np.int64) / 60.0
    x, y = c["x"].to_numpy()[idx], c["y"].to_numpy()[idx]
    d, tt = max(opts.distance_tolerance_m, 1e-9), max(opts.time_tolerance_minutes, 1e-9)
    pts = np.column_stack([x / d, y / d, (t - t.min()) / tt])
    pairs = cKDTree(pts).query_pairs(r=1.0, p=np.inf, output_type="ndarray")
    if not len(pairs):
        return []
    a, b = idx[pairs[:, 0]], idx[pairs[:, 1]]
    xs, ys = c["x"].to_numpy(), c["y"].to_numpy()
    dist = np.hypot(xs[a] - xs[b], ys[a] - ys[b])
    keep = dist <= opts.distance_tolerance_m
    systems = c["id_field"].to_numpy()
    sources = c["source"].to_numpy()
    if not opts.within_source:
        keep &= (systems[a] != systems[b]) | ((systems[a] == "") & (sources[a] != sources[b]))
    if opts.require_same_category:
        cats = c["category"].to_numpy()
        keep &= cats[a] == cats[b]
    order = np.argsort(dist[keep], kind="stable")
    return list(zip(a[keep][order].tolist(), b[keep][order].tolist()))


def merge_duplicates(frame: pd.DataFrame, priority: dict[str, int], opts: DedupOptions) -> pd.DataFrame:
    """Adds ``cluster`` (row position of the cluster's survivor) and flags to candidate rows."""
    cand_mask = (frame["outcome"] == "candidate").to_numpy()
    needed = [
        "source",
        "source_id",
        "id_field",
        "ref_id",
        "category",
        "category_raw",
        "start_utc",
        "precision",
        "x",
        "y",
    ]
    c = frame.loc[cand_mask, needed].reset_index(drop=True)
    c["pos"] = np.arange(len(c))
    id_edges, conflict = _id_edges(c)
    clusters = _Clusters(
        len(c),
        c["source_id"].to_numpy(dtype=object),
        c["id_field"].to_numpy(dtype=object),
        opts.within_source,
    )
    for a, b in id_edges:
        clusters.union(a, b, check_ids=False)
    for edges in (_link_edges(c), _proximity_edges(c, opts)):
        for a, b in edges:
            clusters.union(a, b, check_ids=True)
    root = clusters.roots()
    # Survivor = highest-priority record; time from the most precise record of the cluster.
    prio = c["source"].map(priority).to_numpy()
    rank = c["precision"].map(PRECISION_RANK).fillna(9).to_numpy()
    order = np.lexsort((c["pos"].to_numpy(), prio, root))
    first_of_root = np.ones(len(order), dtype=bool)
    first_of_root[1:] = root[order][1:] != root[order][:-1]
    survivor_of = np.empty(len(c), dtype=np.int64)
    survivor_of[root[order][first_of_root]] = order[first_of_root]
    time_order = np.lexsort((c["pos"].to_numpy(), prio, rank, root))
    first_t = np.ones(len(time_order), dtype=bool)
    first_t[1:] = root[time_order][1:] != root[time_order][:-1]
    time_of = np.empty(len(c), dtype=np.int64)
    time_of[root[time_order][first_t]] = time_order[first_t]

    survivor = survivor_of[root]
    outcome = np.where(survivor == c["pos"].to_numpy(), "accepted", "merged").astype(object)
    labels = frame.index[cand_mask].to_numpy()  # cluster ids are frame index labels of the survivor
    full_outcome = frame["outcome"].to_numpy(dtype=object)
    full_outcome[cand_mask] = outcome
    frame["outcome"] = full_outcome
    frame["cluster"] = -1
    frame.loc[cand_mask, "cluster"] = labels[survivor]
    frame["time_from"] = -1
    frame.loc[cand_mask, "time_from"] = labels[time_of[root]]
    frame["id_conflict"] = False
    frame.loc[cand_mask, "id_conflict"] = conflict
    return frame


def resolve_exact_duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows identical to an earlier row of the same source share its fate (set aside as 'duplicate')."""
    dup = frame["dup_of"].to_numpy() >= 0
    if not dup.any():
        return frame
    first = frame["dup_of"].to_numpy()[dup]
    orig = frame.loc[first]
    label = (orig["source"] + "#" + orig["row_number"].astype(str)).to_numpy(dtype=object)
    outcome = orig["outcome"].replace({"accepted": "merged"}).to_numpy(dtype=object)
    frame.loc[dup, "outcome"] = outcome
    frame.loc[dup, "cluster"] = orig["cluster"].to_numpy()
    frame.loc[dup, "reason"] = orig["reason"].to_numpy()
    detail = "exact duplicate of " + label
    rejected = outcome == "rejected"
    detail[rejected] = detail[rejected] + ": " + orig["detail"].to_numpy(dtype=object)[rejected]
    frame.loc[dup, "detail"] = detail
    return frame
