"""Hand-built costing tables for the costing tests (canonical column names, text cells as a form would give)."""

from __future__ import annotations

import pandas as pd

SOSYAL = "Sosyal Hizmetler Daire Başkanlığı"
SAGLIK = "Sağlık Daire Başkanlığı"


def line(**over) -> dict:
    """One costing line with sensible defaults; keyword arguments override columns."""
    base = {
        "cost_line_id": "M1",
        "action_code": "A2H3E2",
        "unit_name": SOSYAL,
        "institutional_code": "46.34.01.16",
        "item": "Psikolog hizmet alımı",
        "measure": "kişi-ay",
        "quantity": "12",
        "unit_cost": "1000",
        "year_from": "2024",
        "year_to": "",
        "functional_code": "10.9.0.00",
        "financing_type": "5",
        "economic_code": "03.5.9.90",
        "description": "",
        "category_eu_cpr": "01",
        "category_ph_hgdg": "",
        "declared_share": "",
    }
    return base | over


def frame(*lines: dict) -> pd.DataFrame:
    """A costing table of text cells (blank = missing)."""
    out = pd.DataFrame(list(lines)).astype("str")
    return out.replace({"": None})
