"""Public tables: primary suppression below the threshold and secondary suppression proven with an LP attacker."""

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from regionaldata.disclosure import protect_two_way

THRESHOLD = 5


def attacker_ranges(table) -> list[tuple[float, float]]:
    """An attacker's own LP (independent of the module): min/max of every hidden cell from what is published."""
    rows, cols = len(table.row_labels), len(table.column_labels)
    grid = [[*table.cells[r], table.row_totals[r]] for r in range(rows)] + [[*table.column_totals, table.grand_total]]
    unknown = [(r, c) for r in range(rows + 1) for c in range(cols + 1) if grid[r][c] is None]
    index = {cell: i for i, cell in enumerate(unknown)}
    a_eq, b_eq = [], []

    def add(cells, total):
        coefficients, constant = np.zeros(len(unknown)), 0.0
        for cell, sign in [*((cell, 1) for cell in cells), (total, -1)]:
            value = grid[cell[0]][cell[1]]
            if value is None:
                coefficients[index[cell]] += sign
            else:
                constant -= sign * value
        if coefficients.any():
            a_eq.append(coefficients)
            b_eq.append(constant)

    for r in range(rows + 1):
        add([(r, c) for c in range(cols)], (r, cols))
    for c in range(cols + 1):
        add([(r, c) for r in range(rows)], (rows, c))
    ranges = []
    for cell in unknown:
        objective = np.zeros(len(unknown))
        objective[index[cell]] = 1
        low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=(0, None), method="highs")
        ranges.append((low.fun, float("inf") if high.status == 3 else -high.fun))
    return ranges


def random_table(seed: int, rows: int = 6, cols: int = 5) -> list[list[int]]:
    rng = random.Random(seed)
    return [[rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 40]) for _ in range(cols)] for _ in range(rows)]


def test_cells_below_the_threshold_are_hidden_and_others_shown():
    table = protect_two_way(["AFG", "MMR"], ["Jan", "Feb"], [[20, 30], [40, 50]], limit=THRESHOLD)
    assert table.cells == [[20, 30], [40, 50]]
    assert table.suppressed_count == 0


def test_a_single_small_cell_forces_secondary_suppression_so_totals_do_not_reveal_it():
    table = protect_two_way(["AFG", "MMR"], ["Jan", "Feb"], [[3, 30], [40, 50]], limit=THRESHOLD)
    assert table.cells[0][0] is None
    assert table.suppressed_count >= 4  # a rectangle at least
    for low, high in attacker_ranges(table):
        assert high - low >= THRESHOLD


@pytest.mark.parametrize("seed", range(12))
def test_no_hidden_cell_can_be_narrowed_below_the_threshold_by_linear_programming(seed):
    matrix = random_table(seed)
    table = protect_two_way([f"r{i}" for i in range(6)], [f"c{j}" for j in range(5)], matrix, limit=THRESHOLD)
    for r, row in enumerate(matrix):
        for c, value in enumerate(row):
            if 0 < value < THRESHOLD:
                assert table.cells[r][c] is None, (r, c)
            if table.cells[r][c] is not None:
                assert table.cells[r][c] == value
    for low, high in attacker_ranges(table):
        assert high - low >= THRESHOLD - 1e-6


def test_a_small_row_total_is_itself_hidden():
    table = protect_two_way(["AFG", "MMR", "IRN"], ["Jan", "Feb"], [[1, 2], [30, 40], [25, 35]], limit=THRESHOLD)
    assert table.row_totals[0] is None
    for low, high in attacker_ranges(table):
        assert high - low >= THRESHOLD


def test_the_public_page_shows_only_public_data_sets_after_suppression(client, stats):
    from regionaldata import services
    from regionaldata.tests.helpers import month_rows, publish_month

    p = stats.personas
    services.dataset_set_audience(actor=p.alice_focal, dataset=stats.alpha_set, audience="public")
    publish_month(
        stats,
        stats.alpha_set,
        contributor=p.alan_analyst,
        focal=p.alice_focal,
        period="2025-03",
        rows=month_rows("2025-03", afg=3, mmr=40),
    )
    publish_month(
        stats,
        stats.beta_set,
        contributor=p.bea_analyst,
        focal=p.bob_focal,
        period="2025-03",
        rows=month_rows("2025-03", afg=500, mmr=500),
    )
    body = client.get("/statistics/public/?indicator=ibc&end=2025-06").content.decode()
    table = body[body.index("<table") : body.index("</table>")]
    assert "Afghanistan" in table and "Myanmar" in table
    assert "500" not in table  # Betaland publishes to reporters only, never to the public
    assert "<td>3</td>" not in table and "<td>40</td>" not in table  # 3 is small; 40 would give it away
    assert "<td>43</td>" in table  # the total alone reveals neither cell
