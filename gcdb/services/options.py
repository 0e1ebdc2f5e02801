"""Options of the analysis: which comparisons to make, against which reference groups, in how many passes.

* :func:`comparison_entries` turns ``dimensions`` and ``crosses`` into the entries of
  :func:`gcdb.equality.impact_table` (a tuple ``(compared, *within)``), neighbourhoods added when both frames have
  them;
* :func:`resolve_reference` checks a ``{dimension: group}`` mapping and completes it with
  :data:`gcdb.equality.DEFAULT_REFERENCE`; :func:`parse_reference` reads the CLI's ``sex=male`` form;
* :func:`plan_passes` splits the entries into the passes that are suppressed together: one for sex, age band
  and place, one per status dimension (disability, migrant status) on the records where that status is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from gcdb import columns as C
from gcdb.equality import DEFAULT_REFERENCE, REST
from gcdb.equality import names as N
from gcdb.errors import UsageError
from gcdb.i18n import Message
from gcdb.services import names as S

#: Spellings of the pooled "all other groups" reference accepted on the command line.
REST_SPELLINGS = ("rest", REST, "diğer", "diger")


def _entry(item: str | Sequence[str], what: str) -> tuple[str, ...]:
    entry = (item,) if isinstance(item, str) else tuple(item)
    if not entry:
        raise UsageError(Message("services.options.empty_entry", what=what))
    for name in entry:
        if name not in N.DIMENSIONS:
            raise UsageError(
                Message(
                    "services.options.unknown_dimension",
                    what=what,
                    name=repr(name),
                    choices=", ".join(map(repr, N.DIMENSIONS)),
                )
            )
    if len(set(entry)) != len(entry):
        raise UsageError(Message("services.options.repeated_dimension", what=what, entry=repr(entry)))
    return entry


def comparison_entries(
    dimensions: Iterable[str | Sequence[str]],
    crosses: Iterable[Sequence[str]],
    *,
    neighbourhood: bool,
) -> tuple[tuple[str, ...], ...]:
    """The impact-table entries: each dimension alone, then each cross, without repeats, in the given order.

    ``neighbourhood=True`` adds the neighbourhood comparison (every neighbourhood against the rest of the city)
    when it is not asked for already.
    """
    out: list[tuple[str, ...]] = []
    for item in dimensions:
        entry = _entry(item, "dimensions")
        if entry not in out:
            out.append(entry)
    for item in crosses:
        entry = _entry(item, "crosses")
        if entry not in out:
            out.append(entry)
    if neighbourhood and (C.NEIGHBOURHOOD,) not in out:
        out.append((C.NEIGHBOURHOOD,))
    if not out:
        raise UsageError(Message("services.options.no_comparison"))
    return tuple(out)


def parse_reference(items: Iterable[str]) -> dict[str, str]:
    """``["sex=male", "district=rest"]`` → ``{"sex": "male", "district": REST}``; bad syntax is a UsageError."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = str(item).partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise UsageError(Message("services.options.reference_syntax", item=repr(item)))
        if name in out:
            raise UsageError(Message("services.options.reference_twice", name=repr(name)))
        out[name] = REST if value.casefold() in REST_SPELLINGS else value
    return out


def resolve_reference(reference: Mapping[str, str] | None) -> dict[str, str]:
    """The reference group of every dimension: the defaults, overridden by ``reference``.

    Unknown dimensions are a :class:`~gcdb.errors.UsageError`; whether a group exists is checked against the
    data by :func:`check_reference_groups`.
    """
    reference = dict(reference or {})
    unknown = [name for name in reference if name not in N.DIMENSIONS]
    if unknown:
        raise UsageError(
            Message(
                "services.options.reference_unknown",
                names=", ".join(map(repr, unknown)),
                choices=", ".join(map(repr, N.DIMENSIONS)),
            )
        )
    for name, value in reference.items():
        if not isinstance(value, str) or not value:
            raise UsageError(Message("services.options.reference_empty", name=repr(name), value=repr(value)))
    return {**DEFAULT_REFERENCE, **reference}


def check_reference_groups(reference: Mapping[str, str], known: Mapping[str, Sequence[str]]) -> None:
    """Raise a UsageError naming the known groups when a reference group is not a category of its dimension.

    ``known`` maps dimensions to their categories (as the analysis will see them, migrants pooled).
    """
    for name, value in reference.items():
        if value == REST or name not in known:
            continue
        groups = list(known[name])
        if value not in groups:
            shown = ", ".join(map(repr, groups[:15])) + (" …" if len(groups) > 15 else "")
            raise UsageError(
                Message("services.options.reference_group", value=repr(value), name=repr(name), groups=shown)
            )


@dataclass(frozen=True)
class Pass:
    """Entries suppressed together, and the status dimensions whose unknown records the pass leaves out."""

    name: str
    entries: tuple[tuple[str, ...], ...]
    known: tuple[str, ...]

    @property
    def dimensions(self) -> list[str]:
        """Every dimension the pass splits by (nested dimensions with their parents), in canonical order."""
        used = {d for entry in self.entries for d in entry}
        used |= {N.NESTED_IN[d] for d in used if d in N.NESTED_IN}
        return [d for d in N.DIMENSIONS if d in used]


def plan_passes(entries: Sequence[tuple[str, ...]]) -> list[Pass]:
    """Group the entries by the status dimensions they involve (none, disability, migrant status, both)."""
    groups: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for entry in entries:
        key: tuple[str, ...] = tuple(d for d in S.STATUS_DIMENSIONS if d in entry)
        groups.setdefault(key, []).append(entry)
    passes = []
    for key in sorted(groups, key=lambda k: (len(k), [S.STATUS_DIMENSIONS.index(d) for d in k])):
        name = "+".join(key) if key else "main"
        passes.append(Pass(name, tuple(groups[key]), key))
    return passes
