"""The specification of a set of linked published tables: dimensions, measures, the disclosure policy, and the
canonical *cell frame* every published table is registered as. Data only; :mod:`gcdb.disclosure.engine` and
:mod:`gcdb.disclosure.attack` run it.

The cell frame
--------------
Every published number that counts people, or is a quantity or an amount about them, is one row of a *cell
frame* (long form):

============== ===================================================================================================
column         meaning
============== ===================================================================================================
``table``      name of the published table (``impact``, ``indicators`` …)
``row``        position of the row in that table (0-based)
``column``     the column of the row that holds the number (a row can publish several cells: ``users`` of a
               service and ``female_users``, the users of its women)
``measure``    what the number is: ``users`` (distinct persons), ``uses`` (records), ``quantity`` (summed units:
               nights, sessions, lira …), ``amount`` (kuruş of benefit)
``value``      the number (float; ``NaN`` where the published table hides it)
``status``     ``""`` published, ``primary`` or ``secondary`` hidden (as the published table marks it)
dimensions     one text column per dimension of the registry (:class:`DimensionSpec`), holding the cell's code
============== ===================================================================================================

A cell's *key* is its codes over every dimension. A code is a leaf category (``female``), the dimension's total
(``(total)``: every leaf), a declared group (``known`` → ``yes``, ``no``), or a set literal ``{KRS,SIG}``. The
same key in two tables is the same number; a margin is the sum of the cells that partition it. From the keys
alone the engine derives every additive relation across all tables.

*Derived* numbers (a rate per 1,000 residents, a share, spending per user) are registered apart, in a derived
frame: ``table, row, column, value, numerator, denominator, population, scale`` — ``value = numerator /
denominator × scale`` where numerator and denominator name columns of the same row registered in the cell frame,
and an empty name stands for ``population``, a public number given in the frame (residents, a published total).
A derived number is hidden with the cells it is made of; the attacker uses the published ones.
"""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gcdb.equality import names as N

# ---------------------------------------------------------------------------------------------------------------
# Canonical column names of the cell frame and its results
# ---------------------------------------------------------------------------------------------------------------
TABLE: Final = "table"
ROW: Final = "row"
MEASURE: Final = "measure"
VALUE: Final = "value"
STATUS: Final = "status"
CELL: Final = "cell"
COLUMN: Final = "column"
NUMERATOR: Final = "numerator"
DENOMINATOR: Final = "denominator"
POPULATION: Final = "population"
SCALE: Final = "scale"
TOP1: Final = "top1"  # largest contribution to an amount cell (dominance rule)
TOP2: Final = "top2"  # second largest

CELL_COLUMNS: Final = (TABLE, ROW, COLUMN, MEASURE, VALUE, STATUS)
DERIVED_COLUMNS: Final = (TABLE, ROW, COLUMN, VALUE, NUMERATOR, DENOMINATOR, POPULATION, SCALE)

#: Measures. Counts of persons and records are frequencies; quantities and amounts are magnitudes.
USERS: Final = N.USERS
USES: Final = N.USES
QUANTITY: Final = N.QUANTITY
AMOUNT: Final = "amount"
MEASURES: Final = (USERS, USES, QUANTITY, AMOUNT)
#: Status values (the published tables' ``suppression`` column).
PUBLISHED: Final = ""
PRIMARY: Final = N.PRIMARY
SECONDARY: Final = N.SECONDARY

TOTAL: Final = N.TOTAL
SET_OPEN, SET_CLOSE, SET_SEP = "{", "}", ","


def set_code(leaves) -> str:
    """The code of a set of leaves: ``{a,b}`` (sorted); a single leaf is its own code."""
    items = sorted({str(x) for x in leaves})
    if len(items) == 1:
        return items[0]
    return SET_OPEN + SET_SEP.join(items) + SET_CLOSE


class DimensionSpec(BaseModel):
    """A dimension of the linked tables: its leaf categories, total, groups, and nesting.

    ``leaves``: every category (default: the codes seen in the cells and the records). ``groups``: named unions
    of leaves (``known: [yes, no]``). ``nested_in``: the parent dimension whose value qualifies a leaf
    (neighbourhood names repeat across districts). ``block``: the dimension never has margins across its
    categories inside one block of the engine (fiscal year, service) — cells with a set there link blocks.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    total: str = TOTAL
    leaves: tuple[str, ...] | None = None
    groups: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    nested_in: str | None = None
    block: bool = False

    @model_validator(mode="after")
    def _check(self) -> DimensionSpec:
        for code, members in self.groups.items():
            if not members:
                raise ValueError(f"dimension {self.name!r}: group {code!r} has no leaves")
            if code == self.total:
                raise ValueError(f"dimension {self.name!r}: a group cannot be named like the total {code!r}")
        if self.nested_in == self.name:
            raise ValueError(f"dimension {self.name!r} cannot be nested in itself")
        return self


class Policy(BaseModel):
    """The disclosure policy: one for the API and the CLI.

    * ``k``: a count of persons or records with 0 < n < k is hidden (primary).
    * ``quantity_k``: a quantity with 0 < q < quantity_k is hidden with its cell (default ``k``): a quantity in
      whole units (nights, sessions, screenings) of less than k units is contributed by fewer than k persons.
      ``None`` turns the rule off (quantities in fractional units).
    * ``dominance_p``: p % rule for amounts (benefit of a group): an amount cell whose largest two contributions
      leave less than p % of the largest (``total − x1 − x2 < p/100 · x1``) lets the second contributor estimate
      the first's within p %; hidden. Needs ``top1``/``top2`` in the cell frame; ``None`` turns it off.
    * ``secondary_zeros``: whether a published zero may be hidden as a secondary cell (default no: zeros are
      published first, as GaussSuppression's default candidates).
    * ``seed``: chooses the prime of the modular arithmetic (see :mod:`gcdb.disclosure.modular`).
    * ``max_rounds``: rounds of audit and repair after the Gaussian elimination (a round hides at least one
      more cell; the run stops with an error when the audit still finds a recoverable cell after them).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    k: int = Field(default=5, ge=1)
    quantity_k: int | None = Field(default=-1)
    dominance_p: float | None = Field(default=10.0, gt=0, le=100)
    secondary_zeros: bool = False
    seed: int = 20261206
    max_rounds: int = Field(default=50, ge=1)

    @property
    def quantity_threshold(self) -> int | None:
        if self.quantity_k is None:
            return None
        return self.k if self.quantity_k < 0 else self.quantity_k
