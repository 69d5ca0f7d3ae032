"""Notebook sections say what they need and skip with one sentence instead of crashing."""

from __future__ import annotations

import pandas as pd
import pytest

from bureau_rhetoric import needs


def _docs(years, periods=None):
    n = len(years)
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "year": pd.array(years, dtype="Int64"),
                         "fyp_period": periods if periods is not None else [None] * n})


@pytest.mark.parametrize("years,expect", [([], (0, 0, 0)), ([None, None], (2, 0, 0)),
                                          ([2010, 2010, None], (3, 2, 1)), ([2010, 2015], (2, 2, 2))])
def test_measure_counts_documents_dated_documents_and_years(years, expect):
    s = needs.measure(_docs(years))
    assert (s["docs"], s["dated_docs"], s["years"]) == expect


def test_check_names_the_first_unmet_need_and_what_to_change():
    s = needs.measure(_docs([None]), tokens=0)
    assert needs.check("docs >= 1", s) is None
    msg = needs.check("docs >= 1, dated_docs >= 1", s)
    assert msg.startswith("Skipped:") and "1 documents with a year" in msg and "MIN_CONFIDENCE" in msg
    assert msg.count("\n") == 0
    assert "tokens" in needs.check("tokens >= 10", s)
    assert "ERA_SPLIT" in needs.check("eras >= 1", {**s, "eras": 0})


def test_bad_specs_and_unmeasured_names_are_errors():
    with pytest.raises(ValueError, match="cannot read"):
        needs.check("docs > 1", {"docs": 3})
    with pytest.raises(ValueError, match="not measured yet"):
        needs.check("eras >= 1", {"docs": 3})


def test_cells_with_unmet_needs_become_one_print():
    s = needs.measure(_docs([2010]))
    cell = ["# needs: years >= 2\n", "x = 1 / 0\n"]
    out = needs.transform_cell(cell, s)
    assert len(out) == 1 and out[0].startswith("print(") and "distinct years" in out[0]
    exec(compile("".join(out), "<cell>", "exec"), {})  # runs: prints, does not divide by zero
    assert needs.transform_cell(["# needs: years >= 1\n", "y = 2\n"], s) == ["# needs: years >= 1\n", "y = 2\n"]
    assert needs.transform_cell(["z = 3  # needs: years >= 9\n"], s) == ["z = 3  # needs: years >= 9\n"]


def test_watch_and_update_keep_state_for_the_transformer():
    needs.watch(_docs([2010, 2012]))
    assert needs.state()["years"] == 2
    needs.update(tokens=0)
    assert "tokens" in needs.transform_cell(["# needs: tokens >= 1\n", "pass\n"])[0]
