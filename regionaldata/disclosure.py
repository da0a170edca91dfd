"""Statistical disclosure control for public tables: primary and secondary cell suppression.

A table is a set of cells (interior cells and totals) tied by additivity constraints (a total equals
the sum of its parts). Cells below the threshold are suppressed (primary); then, until an attacker
who solves linear programmes over the published cells can no longer narrow any suppressed cell to
a range narrower than the threshold, more cells are suppressed (secondary). Adding a suppression
only widens the ranges of cells already protected, so each cell is checked until it passes, once.
"""

from collections import deque
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from scipy.optimize import linprog


def threshold() -> int:
    return int(getattr(settings, "REGIONALDATA_SUPPRESSION_THRESHOLD", 5))


@dataclass
class ProtectedTable:
    """A two-way table ready to publish: None marks a suppressed cell."""

    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    grand_total: int | None
    suppressed_count: int
    threshold: int


def feasible_ranges(
    values: np.ndarray, constraints: list[list[tuple[int, int]]], suppressed: set[int], cells: list[int] | None = None
) -> dict[int, tuple[float, float]]:
    """What an attacker learns: min and max of each suppressed cell given every published cell."""
    order = sorted(suppressed)
    position = {cell: index for index, cell in enumerate(order)}
    rows, rhs = [], []
    for constraint in constraints:
        coefficients = np.zeros(len(order))
        constant = 0.0
        touched = False
        for cell, coefficient in constraint:
            if cell in position:
                coefficients[position[cell]] += coefficient
                touched = True
            else:
                constant -= coefficient * values[cell]
        if touched:
            rows.append(coefficients)
            rhs.append(constant)
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    bounds = [(0, None)] * len(order)
    ranges: dict[int, tuple[float, float]] = {}
    for cell in cells if cells is not None else order:
        objective = np.zeros(len(order))
        objective[position[cell]] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        lower = low.fun if low.status == 0 else 0.0
        upper = -high.fun if high.status == 0 else float("inf")
        ranges[cell] = (lower, upper)
    return ranges


def suppress(values: np.ndarray, constraints: list[list[tuple[int, int]]], *, limit: int | None = None) -> set[int]:
    """Cells to suppress: primary (0 < value < limit) plus complementary cells until every range is wide enough."""
    limit = threshold() if limit is None else limit
    suppressed = {int(cell) for cell in np.flatnonzero((values > 0) & (values < limit))}
    constraints_of: dict[int, list[int]] = {}
    for index, constraint in enumerate(constraints):
        for cell, _coefficient in constraint:
            constraints_of.setdefault(cell, []).append(index)
    queue = deque(sorted(suppressed))
    while queue:
        cell = queue.popleft()
        low, high = feasible_ranges(values, constraints, suppressed, [cell])[cell]
        if high - low >= limit - 1e-6:
            continue
        added = []
        for index in constraints_of.get(cell, []):
            candidates = [c for c, _coef in constraints[index] if c not in suppressed]
            if not candidates:
                continue
            positive = [c for c in candidates if values[c] > 0] or candidates
            choice = min(positive, key=lambda c: (values[c], c))
            suppressed.add(choice)
            added.append(choice)
        if not added:
            continue  # nothing left to hide behind in any of its sums: the cell's range is already open
        queue.extend(added)
        queue.append(cell)
    return suppressed


def two_way_constraints(n_rows: int, n_columns: int) -> tuple[list[list[tuple[int, int]]], callable]:
    """Cells laid out row-major with a total column and a total row (last row); the grand total last."""
    width = n_columns + 1

    def at(row: int, column: int) -> int:
        return row * width + column

    constraints = []
    for row in range(n_rows + 1):
        constraints.append([(at(row, column), 1) for column in range(n_columns)] + [(at(row, n_columns), -1)])
    for column in range(n_columns + 1):
        constraints.append([(at(row, column), 1) for row in range(n_rows)] + [(at(n_rows, column), -1)])
    return constraints, at


def protect_two_way(
    row_labels: list[str], column_labels: list[str], matrix: list[list[int]], *, limit: int | None = None
) -> ProtectedTable:
    """Publishable two-way table (e.g. citizenship by month) with row, column and grand totals."""
    limit = threshold() if limit is None else limit
    n_rows, n_columns = len(row_labels), len(column_labels)
    interior = np.array(matrix, dtype=float).reshape(n_rows, n_columns)
    full = np.zeros((n_rows + 1, n_columns + 1))
    full[:n_rows, :n_columns] = interior
    full[:n_rows, n_columns] = interior.sum(axis=1)
    full[n_rows, :n_columns] = interior.sum(axis=0)
    full[n_rows, n_columns] = interior.sum()
    values = full.flatten()
    constraints, at = two_way_constraints(n_rows, n_columns)
    hidden = suppress(values, constraints, limit=limit) if values.size else set()

    def shown(row: int, column: int) -> int | None:
        return None if at(row, column) in hidden else int(full[row, column])

    return ProtectedTable(
        row_labels=row_labels,
        column_labels=column_labels,
        cells=[[shown(row, column) for column in range(n_columns)] for row in range(n_rows)],
        row_totals=[shown(row, n_columns) for row in range(n_rows)],
        column_totals=[shown(n_rows, column) for column in range(n_columns)],
        grand_total=shown(n_rows, n_columns),
        suppressed_count=len(hidden),
        threshold=limit,
    )


def protect_series(labels: list[str], values: list[int], *, limit: int | None = None) -> ProtectedTable:
    """A one-way table (e.g. totals by month) with its total: a two-way table of one row."""
    return protect_two_way(["total"], labels, [values], limit=limit)
