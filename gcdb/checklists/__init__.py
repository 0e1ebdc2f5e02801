"""Service checklists as data (kontrol listeleri): a checklist in YAML, assessments answered per facility or
programme, scores per service and district, HGDG bands, and assessed scores fed into the HGDG weighting.

>>> from gcdb.checklists import load_checklist, read_assessments, score_assessments
>>> park = load_checklist("park")                          # rules/checklists/park.yaml
>>> answers = read_assessments("park_degerlendirme.csv", park)         # doctest: +SKIP
>>> scores = score_assessments(answers, park)              # per assessment, section, service × district, question
>>> links = assessed_scores(scores, hgdg_scores)           # HGDG score per budget line / action / rule
>>> comparison = hgdg_comparison(budget, tags, links)      # TCDB under HGDG: hand-typed vs assessed

Shipped checklists: ``park`` (seed 002), ``hgdg_design`` (HGDG Box 7a), ``hgdg_implementation`` (Boxes 16–17).
"""

from gcdb.checklists import names
from gcdb.checklists.assessments import read_assessments
from gcdb.checklists.load import SHIPPED, ChecklistError, load_checklist, loads_checklist, parse_checklist
from gcdb.checklists.model import Checklist
from gcdb.checklists.score import Scores, hgdg_band, score_assessments
from gcdb.checklists.weighting import (
    AssessedTags,
    HgdgComparison,
    apply_assessed_scores,
    assessed_scores,
    hgdg_comparison,
)

__all__ = [
    "Checklist",
    "ChecklistError",
    "SHIPPED",
    "load_checklist",
    "loads_checklist",
    "parse_checklist",
    "read_assessments",
    "score_assessments",
    "Scores",
    "hgdg_band",
    "assessed_scores",
    "apply_assessed_scores",
    "AssessedTags",
    "hgdg_comparison",
    "HgdgComparison",
    "names",
]
