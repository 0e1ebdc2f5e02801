"""Property tests: exact kuruş round trip through Turkish CSV; the reconciliation always balances."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcdb import columns as C
from gcdb.read import read_budget

HEADER = [
    "YIL",
    "SATIR NO",
    "KURUMSAL KOD",
    "FONKSİYONEL KOD",
    "FİNANSMAN TİPİ",
    "EKONOMİK KOD",
    "AÇIKLAMA",
    "BAŞLANGIÇ ÖDENEĞİ",
    "REVİZE ÖDENEK",
    "HARCAMA",
]
MAX = 10**13
SETTINGS = settings(
    max_examples=35, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def turkish(kurus: int, grouped: bool) -> str:
    sign = "-" if kurus < 0 else ""
    lira, rest = divmod(abs(kurus), 100)
    whole = f"{lira:,}".replace(",", ".") if grouped else str(lira)
    return f"{sign}{whole},{rest:02d}"


def write_budget(path, rows):
    lines = [";".join(HEADER)] + [";".join(r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1254"))


amount = st.integers(min_value=0, max_value=MAX) | st.sampled_from([0, 1, 29, 99, 100, 100000, MAX])
line = st.tuples(amount, amount, amount | st.integers(min_value=-MAX, max_value=0), st.booleans())


@SETTINGS
@given(lines=st.lists(line, min_size=1, max_size=25))
def test_turkish_csv_round_trip_is_exact_to_the_kurus(tmp_path, lines):
    rows = [
        [
            "2023",
            str(i),
            "46.34.01.16",
            "10.4.0.00",
            "5",
            "03.5.1.08",
            "ÇOCUK İŞLERİ ŞUBESİ",
            turkish(a, g),
            turkish(b, not g),
            turkish(c, g),
        ]
        for i, (a, b, c, g) in enumerate(lines, start=1)
    ]
    path = tmp_path / "b.csv"
    write_budget(path, rows)
    result = read_budget(path)
    assert result.errors.empty, result.issues.to_string()
    data = result.data
    assert data[C.INITIAL_APPROPRIATION].tolist() == [a for a, _, _, _ in lines]
    assert data[C.REVISED_APPROPRIATION].tolist() == [b for _, b, _, _ in lines]
    assert data[C.EXPENDITURE].tolist() == [c for _, _, c, _ in lines]
    assert data[C.EXPENDITURE].dtype == np.int64


BAD = {
    "ok": lambda r: r,
    "bad_amount": lambda r: r[:7] + ["12,3,4"] + r[8:],
    "too_many_decimals": lambda r: r[:8] + ["1,234"] + r[9:],
    "negative_appropriation": lambda r: (
        r[:7] + ["-" + r[7]] + r[8:] if r[7] != "0,00" else r[:7] + ["-1,00"] + r[8:]
    ),
    "malformed_code": lambda r: r[:3] + ["10.4"] + r[4:],
    "blank_description": lambda r: r[:6] + [""] + r[7:],
    "duplicate_id": lambda r: r[:1] + ["1"] + r[2:],
    "overspent": lambda r: r[:9] + [turkish(MAX + 1, True)],
}


@SETTINGS
@given(
    kinds=st.lists(st.sampled_from(sorted(BAD)), min_size=1, max_size=30),
    amounts=st.lists(st.tuples(amount, amount, amount), min_size=30, max_size=30),
)
def test_reconciliation_always_balances(tmp_path, kinds, amounts):
    rows = []
    for i, kind in enumerate(kinds, start=1):
        a, b, c = amounts[i - 1]
        good = [
            "2023",
            str(i),
            "46.34.01.16",
            "10.4.0.00",
            "5",
            "03.5.1.08",
            "KREŞ",
            turkish(a, True),
            turkish(b, True),
            turkish(c, False),
        ]
        rows.append(BAD[kind](good))
    path = tmp_path / "b.csv"
    write_budget(path, rows)
    result = read_budget(path)
    rec = result.reconciliation.set_index("measure")
    assert list(rec.index) == ["rows", *C.PHASES]
    assert (rec["read"] == rec["valid"] + rec["quarantined"] + rec["skipped"]).all()
    assert rec.loc["rows"].tolist() == [len(rows), len(result.data), len(result.quarantine), 0]
    for phase in C.PHASES:
        assert rec.loc[phase, "valid"] == result.data[phase].sum()
    # every source row is either valid or quarantined, never both, never lost
    valid_rows, held_rows = set(result.data[C.SOURCE_ROW]), set(result.quarantine[C.SOURCE_ROW])
    assert valid_rows.isdisjoint(held_rows) and valid_rows | held_rows == set(range(2, len(rows) + 2))
    # a row is quarantined exactly when it has an error
    error_rows = set(result.errors["row"].astype(int))
    assert held_rows == error_rows
    # rows written clean and not sharing line id 1 are valid
    clean = {i + 1 for i, k in enumerate(kinds, start=1) if k in ("ok", "overspent") and i != 1}
    assert clean <= valid_rows
