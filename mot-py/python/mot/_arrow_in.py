"""Tables in: the one rewrite made before a table crosses into Rust.

Every table reaches the Rust reader (``src/arrow_in.rs``) through the Arrow
PyCapsule interface, as it is, except a polars ``DataFrame`` holding a
``Categorical`` column. polars exports such a column by building a new
dictionary of the values present, with a hash per row: on W2's 9.5 million
rows that took 51 ms, a sixth of the whole dashboard (``benches/README.md``).
Yet the column already is a dictionary array: its physical codes index its
categories. Both are handed over as they are here, without a pass over the
rows. The codes are those polars holds for the column, so each indexes the
categories; a null row stays null.

Where this polars lacks the calls used (``Series.cat.physical``,
``Categories.to_series``: polars 2), the frame goes over as it is, through
polars' own export. The figures are the same either way.
"""

from __future__ import annotations

import sys
from typing import Any


def arrow_in(table: Any) -> Any:
    """``table``, with each polars ``Categorical`` column as a pyarrow
    dictionary array of its codes and categories (a ``pyarrow.Table``);
    anything else as it is.
    """
    pl = sys.modules.get("polars")
    if pl is None or not isinstance(table, pl.DataFrame):
        return table
    names = [n for n, t in table.schema.items() if isinstance(t, pl.Categorical)]
    if not names:
        return table
    import pyarrow as pa

    try:
        dictionaries = {}
        for name in names:
            column = table.get_column(name)
            codes = column.cat.physical().to_arrow()
            categories = column.dtype.categories.to_series().to_arrow()
            # `safe=False`: not checked row by row; the codes are polars'
            # own for these categories (and the reader reads a code outside
            # the dictionary as a missing id, never past it).
            dictionaries[name] = pa.DictionaryArray.from_arrays(codes, categories, safe=False)
    except (AttributeError, TypeError):
        return table
    rest = pa.table(table.drop(names))
    columns = [dictionaries[n] if n in dictionaries else rest.column(n) for n in table.columns]
    return pa.table(columns, names=table.columns)
