"""Plot helpers (matplotlib, the optional extra ``payplan[plot]``).

Plots are the one place numbers become floats: only for drawing, never for a result.
"""

from __future__ import annotations

from typing import Any, Optional


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("payplan.plot needs matplotlib: pip install 'payplan[plot]'") from e
    _, ax = plt.subplots()
    return ax


def payout_curve(plan: Any, component: str, start: Any = "0", stop: Any = "2", step: Any = "0.01",
                 ax: Optional[Any] = None) -> Any:
    """Draw one component's payout against attainment, as sampled by the engine
    (core ``payout_curve_json``). Returns the matplotlib Axes."""
    from ._model import Plan

    plan = Plan.coerce(plan)
    points = plan.payout_curve(component, start, stop, step)
    ax = _axes(ax)
    xs = [float(p["attainment"]) for p in points]
    ys = [float(p["payout"]) for p in points]
    ax.plot(xs, ys, label=component)
    ax.set_xlabel("attainment")
    ax.set_ylabel("payout (share of target / rate)")
    ax.set_title(f"{plan.id}: {component}")
    ax.grid(True, alpha=0.3)
    return ax


def attainment_distribution(run: Any, component: Optional[str] = None, bins: int = 20,
                            ax: Optional[Any] = None) -> Any:
    """Histogram of attainment over a run's component lines (one component, or all).
    Returns the matplotlib Axes."""
    values = [float(ln.attainment) for ln in run.lines
              if ln.attainment is not None and (component is None or ln.id == component)]
    ax = _axes(ax)
    ax.hist(values, bins=bins)
    ax.axvline(1.0, color="k", linestyle="--", linewidth=1)
    ax.set_xlabel("attainment")
    ax.set_ylabel("statement lines")
    ax.set_title("attainment distribution" + (f" ({component})" if component else ""))
    return ax
