"""Charts written as PNG with matplotlib's Agg canvas (no pyplot, no GUI: safe in a worker thread)."""

from __future__ import annotations

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..core.metrics import coverage_label
from .i18n import tr


def new_chart(width: float, height: float, dpi: int = 110):
    """A figure with one set of axes, drawn by the Agg canvas."""
    figure = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot(1, 1, 1)


def save_chart(figure, target) -> None:
    """Lay the figure out and write it as PNG to a path or a binary file object."""
    figure.tight_layout()
    figure.savefig(target, format="png")


def pai_by_coverage_chart(summary: pd.DataFrame, coverages, path: str, title: str) -> str:
    """Mean PAI of each model at each coverage (% of area flagged), one line per model, best first."""
    figure, axes = new_chart(7.5, 4.5, 120)
    percents = [100 * c for c in coverages]
    mid = coverage_label(coverages[min(1, len(coverages) - 1)])
    for _, row in summary.sort_values(f"pai@{mid}", ascending=False).iterrows():
        values = [row[f"pai@{coverage_label(c)}"] for c in coverages]
        axes.plot(percents, values, marker="o", label=str(row["model"]))
    axes.axhline(1.0, color="grey", linewidth=0.8, linestyle="--")
    axes.set_xlabel(tr("Area flagged (%)"))
    axes.set_ylabel(tr("Mean PAI (hit rate / area share)"))
    axes.set_title(title)
    axes.set_xticks(percents)
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=8)
    save_chart(figure, path)
    return path
