"""Travel times for patrol planning: shortest paths on a road network, or straight lines at a speed.

- ``RoadNetwork(lines, speeds_kmh=None, default_speed_kmh=30.0, snap_tolerance_m=1.0,
  split_crossings=False)``: an undirected
  graph built from line geometries in a metric CRS (one (n, 2) vertex array per line). Nodes are the line
  vertices; vertices closer than ``snap_tolerance_m`` to one another (transitively: pairs found with
  ``scipy.spatial.cKDTree.query_pairs``, clusters by connected components) merge into one node placed at
  the first of them, so lines that share a vertex, or end within the tolerance of one another's vertex,
  connect. Lines that cross without a shared vertex do not connect (no planarisation: split the lines at
  junctions beforehand, as road centreline data usually are, or pass ``split_crossings=True``, which cuts
  every pair of crossing segments at their crossing point: this also joins bridges to the roads beneath).
  Each pair of consecutive vertices of a line is an edge between their (merged) nodes of weight
  ``length_m / (speed_kmh * 1000 / 60)`` minutes, with the line's speed; a speed that is missing, NaN or
  not positive takes ``default_speed_kmh``. Where several edges join the same two nodes, the quickest is
  kept. The graph is a ``scipy.sparse`` CSR matrix of minutes (``graph``); ``component`` labels the
  connected component of each node.
- ``RoadNetwork.travel_minutes(from_xy, to_xy, access_speed_kmh=None)``: the minutes matrix (len(from) x
  len(to)). Each point is snapped to its nearest node (``cKDTree``) and reaches it by a straight access leg
  at ``access_speed_kmh`` (default: ``default_speed_kmh``); the network part is
  ``scipy.sparse.csgraph.dijkstra`` run from the distinct nodes of the ``from`` points only. A pair is the
  access leg out + network path + access leg in; when the straight line between the two points is no
  longer than their two access legs together (both near the same node, or a point and itself), the direct
  line at the access speed is used if quicker, so a point to itself is 0. Other pairs on different
  connected components are ``inf`` (the patrol planner reports the zones it cannot reach).
- ``straight_line_minutes(from_xy, to_xy, speed_kmh)``: Euclidean distance / speed, in minutes.

Travel is symmetric: the network is undirected and ignores one-way streets, turn costs and turn
restrictions, traffic and signals; speeds are the free-flow speeds given. Everything is deterministic.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree
from scipy.spatial.distance import cdist

from .errors import BeatCastInputError

__all__ = ["RoadNetwork", "straight_line_minutes", "metres_per_minute"]


def metres_per_minute(speed_kmh, name: str = "speed_kmh") -> float:
    """Metres covered per minute at ``speed_kmh`` (which must be a positive number)."""
    try:
        speed = float(speed_kmh)
    except (TypeError, ValueError):
        raise BeatCastInputError(f"{name} must be a number of km/h, got {speed_kmh!r}") from None
    if not math.isfinite(speed) or speed <= 0:
        raise BeatCastInputError(f"{name} must be a positive number of km/h, got {speed_kmh!r}")
    return speed * 1000.0 / 60.0


def _points(xy, name: str) -> np.ndarray:
    try:
        pts = np.asarray(xy, dtype=float)
    except (TypeError, ValueError):
        raise BeatCastInputError(f"{name} must be an (n, 2) array of x, y coordinates") from None
    if pts.ndim == 1 and pts.size == 2:
        pts = pts.reshape(1, 2)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise BeatCastInputError(f"{name} must be an (n, 2) array of x, y coordinates, got shape {pts.shape}")
    if not np.isfinite(pts).all():
        raise BeatCastInputError(f"{name} holds coordinates that are not finite numbers")
    return pts


def straight_line_minutes(from_xy, to_xy, speed_kmh) -> np.ndarray:
    """Minutes to cover the straight line between every pair of points at ``speed_kmh`` (metric CRS)."""
    rate = metres_per_minute(speed_kmh)
    return cdist(_points(from_xy, "from_xy"), _points(to_xy, "to_xy")) / rate


def _speed(value, default: float) -> float:
    try:
        speed = float(value)
    except (TypeError, ValueError):
        return default
    return speed if math.isfinite(speed) and speed > 0 else default


def _split_at_crossings(p, q, speed):
    """Segments cut where they cross one another (both get a vertex at the same crossing point)."""
    length = np.hypot(*(q - p).T)
    mid = 0.5 * (p + q)
    pairs = cKDTree(mid).query_pairs(float(length.max()) + 1e-9, output_type="ndarray").reshape(-1, 2)
    i, j = pairs[:, 0], pairs[:, 1]
    d, e = q[i] - p[i], q[j] - p[j]
    denom = d[:, 0] * e[:, 1] - d[:, 1] * e[:, 0]
    w = p[j] - p[i]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (w[:, 0] * e[:, 1] - w[:, 1] * e[:, 0]) / denom
        s = (w[:, 0] * d[:, 1] - w[:, 1] * d[:, 0]) / denom
    eps = 1e-9
    hit = (denom != 0) & (t >= -eps) & (t <= 1 + eps) & (s >= -eps) & (s <= 1 + eps)
    hit &= ((t > eps) & (t < 1 - eps)) | ((s > eps) & (s < 1 - eps))  # not a shared end vertex
    i, j, t, s = i[hit], j[hit], np.clip(t[hit], 0, 1), np.clip(s[hit], 0, 1)
    point = p[i] + t[:, None] * d[hit]
    seg = np.r_[i, j]
    where = np.r_[t, s]
    xy = np.vstack([point, point])
    cut = (where > eps) & (where < 1 - eps)
    seg, where, xy = seg[cut], where[cut], xy[cut]
    if not seg.size:
        return p, q, speed
    # every segment becomes the chain p, its crossings in order along it, q
    order = np.lexsort((where, seg))
    seg, xy = seg[order], xy[order]
    chain_seg = np.r_[np.arange(len(p)), seg, np.arange(len(p))]
    chain_key = np.r_[np.zeros(len(p)), np.ones(len(seg)), np.full(len(p), 2.0)]
    chain_pos = np.r_[np.zeros(len(p)), np.arange(len(seg)), np.zeros(len(p))]
    chain_xy = np.vstack([p, xy, q])
    order = np.lexsort((chain_pos, chain_key, chain_seg))
    chain_seg, chain_xy = chain_seg[order], chain_xy[order]
    same = chain_seg[1:] == chain_seg[:-1]
    return chain_xy[:-1][same], chain_xy[1:][same], speed[chain_seg[:-1][same]]


class RoadNetwork:
    """An undirected road graph with travel minutes on its edges (see the module docstring)."""

    def __init__(
        self, lines, speeds_kmh=None, default_speed_kmh=30.0, snap_tolerance_m=1.0, split_crossings=False
    ):
        self.default_speed_kmh = metres_per_minute(default_speed_kmh, "default_speed_kmh") * 60.0 / 1000.0
        self.split_crossings = bool(split_crossings)
        try:
            tolerance = float(snap_tolerance_m)
        except (TypeError, ValueError):
            tolerance = float("nan")
        if not math.isfinite(tolerance) or tolerance < 0:
            raise BeatCastInputError(f"snap_tolerance_m must be metres >= 0, got {snap_tolerance_m!r}")
        lines = list(lines)
        if speeds_kmh is None:
            speeds_kmh = [None] * len(lines)
        speeds_kmh = list(speeds_kmh)
        if len(speeds_kmh) != len(lines):
            raise BeatCastInputError(f"speeds_kmh has {len(speeds_kmh)} values for {len(lines)} lines")
        arrays, line_of = [], []
        for k, line in enumerate(lines):
            pts = _points(line, f"road line {k}")
            if len(pts) >= 2:
                arrays.append(pts)
                line_of.append(k)
        if not arrays:
            raise BeatCastInputError("the road network has no line with at least two vertices")
        speed = np.array([_speed(speeds_kmh[k], self.default_speed_kmh) for k in line_of])
        p = np.vstack([line[:-1] for line in arrays])  # segments p -> q of every line
        q = np.vstack([line[1:] for line in arrays])
        seg_speed = np.repeat(speed, [len(line) - 1 for line in arrays])
        if split_crossings:
            p, q, seg_speed = _split_at_crossings(p, q, seg_speed)
        ends = np.empty((2 * len(p), 2))
        ends[0::2], ends[1::2] = p, q  # in line order, so a merged node sits at its first vertex
        node, self.node_xy = self._snap(ends, tolerance)
        u, v = node[0::2], node[1::2]
        minutes = np.hypot(*(self.node_xy[v] - self.node_xy[u]).T) / (seg_speed * 1000.0 / 60.0)
        keep = u != v
        u, v, minutes = u[keep], v[keep], minutes[keep]
        self.graph = self._min_graph(np.r_[u, v], np.r_[v, u], np.r_[minutes, minutes], len(self.node_xy))
        self.n_components, self.component = csgraph.connected_components(self.graph, directed=False)
        self._tree = cKDTree(self.node_xy)

    @staticmethod
    def _snap(vertices: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
        """Node of each vertex and the node coordinates (vertices within ``tolerance`` merge)."""
        if tolerance > 0:  # clusters of vertices linked by pairs closer than the tolerance
            n = len(vertices)
            pairs = cKDTree(vertices).query_pairs(tolerance, output_type="ndarray").reshape(-1, 2)
            links = sparse.coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
            label = csgraph.connected_components(links, directed=False)[1]
        else:  # exact duplicates only
            label = np.unique(vertices, axis=0, return_inverse=True)[1].ravel()
        _, first, node = np.unique(label, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")  # nodes numbered in order of first appearance
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        return rank[node.ravel()], vertices[first[order]]

    @staticmethod
    def _min_graph(u, v, w, n) -> sparse.csr_matrix:
        """CSR matrix keeping the smallest weight of duplicate (u, v) edges (a plain CSR would sum them)."""
        order = np.lexsort((w, v, u))
        u, v, w = u[order], v[order], w[order]
        first = np.ones(len(u), dtype=bool)
        first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
        # zero-minute edges would vanish from a sparse matrix: keep them as a tiny positive weight
        w = np.maximum(w[first], 1e-9)
        return sparse.csr_matrix((w, (u[first], v[first])), shape=(n, n))

    @property
    def n_nodes(self) -> int:
        return len(self.node_xy)

    def nearest_node(self, xy) -> tuple[np.ndarray, np.ndarray]:
        """Index of the nearest node of each point and the distance to it in metres."""
        distance, node = self._tree.query(_points(xy, "xy"))
        return np.asarray(node, dtype=np.int64), np.asarray(distance, dtype=float)

    def travel_minutes(self, from_xy, to_xy, access_speed_kmh=None) -> np.ndarray:
        """Minutes from every ``from_xy`` point to every ``to_xy`` point (see the module docstring)."""
        speed = self.default_speed_kmh if access_speed_kmh is None else access_speed_kmh
        rate = metres_per_minute(speed, "access_speed_kmh")
        src_xy, dst_xy = _points(from_xy, "from_xy"), _points(to_xy, "to_xy")
        if not len(src_xy) or not len(dst_xy):
            return np.zeros((len(src_xy), len(dst_xy)))
        src_node, src_access = self.nearest_node(src_xy)
        dst_node, dst_access = self.nearest_node(dst_xy)
        sources, src_row = np.unique(src_node, return_inverse=True)
        network = csgraph.dijkstra(self.graph, directed=True, indices=sources)[:, dst_node]
        via = src_access[:, None] / rate + network[src_row.ravel()] + dst_access[None, :] / rate
        direct = cdist(src_xy, dst_xy)
        short = direct <= src_access[:, None] + dst_access[None, :]  # no longer than the two access legs
        return np.where(short, np.minimum(via, direct / rate), via)
