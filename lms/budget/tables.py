"""A table as the dashboard shows it and as Excel exports it: one source, so totals match to the fen."""

from dataclasses import dataclass, field
from decimal import Decimal

from .money import ZERO


@dataclass
class Column:
    label: str
    money: bool = False


@dataclass
class Table:
    """Rows of cells; money columns are Decimal and get a total row summed from the same cells."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    with_totals: bool = True

    @property
    def totals(self) -> list | None:
        """The total row: sums of the money columns, blank elsewhere."""
        if not self.with_totals:
            return None
        totals: list = []
        for index, column in enumerate(self.columns):
            if column.money:
                totals.append(sum((row[index] or ZERO for row in self.rows), ZERO))
            else:
                totals.append("")
        return totals

    @property
    def cells(self) -> list[list[tuple]]:
        """Rows as (value, is_money) pairs for templates."""
        return [[(value, column.money) for value, column in zip(row, self.columns, strict=True)] for row in self.rows]

    @property
    def total_cells(self) -> list[tuple] | None:
        """The total row as (value, is_money) pairs."""
        totals = self.totals
        if totals is None:
            return None
        return [(value, column.money) for value, column in zip(totals, self.columns, strict=True)]

    def column_total(self, index: int) -> Decimal:
        """The total of one money column."""
        return sum((row[index] or ZERO for row in self.rows), ZERO)
