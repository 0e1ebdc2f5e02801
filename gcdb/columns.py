"""Canonical vocabulary of gcdb: column names, dtypes, category codes and their labels.

This is the one module that owns names. Every other module, every report and every docstring uses the
constants defined here; Turkish and English labels for reports come from :data:`LABELS`.

Money columns are integer **kuruş** (1 TL = 100 kuruş) in ``int64``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# ---------------------------------------------------------------------------------------------------------------
# Budget lines (analitik bütçe sınıflandırması)
# ---------------------------------------------------------------------------------------------------------------
FISCAL_YEAR: Final = "fiscal_year"
LINE_ID: Final = "line_id"
INSTITUTIONAL_CODE: Final = "institutional_code"
UNIT_NAME: Final = "unit_name"
FUNCTIONAL_CODE: Final = "functional_code"
FINANCING_TYPE: Final = "financing_type"
ECONOMIC_CODE: Final = "economic_code"
DESCRIPTION: Final = "description"
INITIAL_APPROPRIATION: Final = "initial_appropriation"
REVISED_APPROPRIATION: Final = "revised_appropriation"
EXPENDITURE: Final = "expenditure"
ACTIVITY_CODE: Final = "activity_code"
PROJECT_CODE: Final = "project_code"
QUARTER: Final = "quarter"

#: The three budget phases, in the order reports show them. Values are integer kuruş.
PHASES: Final = (INITIAL_APPROPRIATION, REVISED_APPROPRIATION, EXPENDITURE)

BUDGET_REQUIRED: Final = (
    FISCAL_YEAR,
    LINE_ID,
    INSTITUTIONAL_CODE,
    FUNCTIONAL_CODE,
    FINANCING_TYPE,
    ECONOMIC_CODE,
    DESCRIPTION,
    INITIAL_APPROPRIATION,
    REVISED_APPROPRIATION,
    EXPENDITURE,
)
BUDGET_OPTIONAL: Final = (UNIT_NAME, ACTIVITY_CODE, PROJECT_CODE, QUARTER)
BUDGET_COLUMNS: Final = (
    BUDGET_REQUIRED[:3] + (UNIT_NAME,) + BUDGET_REQUIRED[3:] + (ACTIVITY_CODE, PROJECT_CODE, QUARTER)
)

# ---------------------------------------------------------------------------------------------------------------
# Service-usage records
# ---------------------------------------------------------------------------------------------------------------
RECORD_ID: Final = "record_id"
SERVICE_CODE: Final = "service_code"
SERVICE_NAME: Final = "service_name"
DATE: Final = "date"
PERSON_ID: Final = "person_id"
SEX: Final = "sex"
AGE: Final = "age"
AGE_BAND: Final = "age_band"
DISABILITY: Final = "disability"
MIGRANT_STATUS: Final = "migrant_status"
DISTRICT: Final = "district"
NEIGHBOURHOOD: Final = "neighbourhood"
QUANTITY: Final = "quantity"

USAGE_REQUIRED: Final = (RECORD_ID, SERVICE_CODE, PERSON_ID, SEX, DISTRICT)
USAGE_OPTIONAL: Final = (
    SERVICE_NAME,
    UNIT_NAME,
    DATE,
    FISCAL_YEAR,
    AGE,
    AGE_BAND,
    DISABILITY,
    MIGRANT_STATUS,
    NEIGHBOURHOOD,
    QUANTITY,
)
USAGE_COLUMNS: Final = (
    RECORD_ID,
    SERVICE_CODE,
    SERVICE_NAME,
    UNIT_NAME,
    DATE,
    FISCAL_YEAR,
    PERSON_ID,
    SEX,
    AGE,
    AGE_BAND,
    DISABILITY,
    MIGRANT_STATUS,
    DISTRICT,
    NEIGHBOURHOOD,
    QUANTITY,
)

# ---------------------------------------------------------------------------------------------------------------
# Population baselines (ADNKS)
# ---------------------------------------------------------------------------------------------------------------
POPULATION: Final = "population"
DISABLED_POPULATION: Final = "disabled_population"
MIGRANT_POPULATION: Final = "migrant_population"

POPULATION_REQUIRED: Final = (DISTRICT, SEX, AGE_BAND, POPULATION)
POPULATION_OPTIONAL: Final = (FISCAL_YEAR, NEIGHBOURHOOD, DISABLED_POPULATION, MIGRANT_POPULATION)
POPULATION_COLUMNS: Final = (
    FISCAL_YEAR,
    DISTRICT,
    NEIGHBOURHOOD,
    SEX,
    AGE_BAND,
    POPULATION,
    DISABLED_POPULATION,
    MIGRANT_POPULATION,
)

# ---------------------------------------------------------------------------------------------------------------
# Tagging output (rule engine → budget and equality analysis)
# ---------------------------------------------------------------------------------------------------------------
ROW_ID: Final = "row_id"  # position of the row in the tagged input (0..n-1)
ACTION_CODE: Final = "action_code"  # YEEP action, e.g. "A7H1E2"
AREA: Final = "area"  # YEEP priority area number (Amaç), 1..15
TARGET_CODE: Final = "target_code"  # YEEP target, e.g. "A7H1"
SCHEME: Final = "scheme"  # weighting scheme id, see WEIGHTING_SCHEMES
CATEGORY: Final = "category"  # category under the scheme, e.g. "01"
SHARE: Final = "share"  # share of the line attributed, in [0, 1]
RULE_ID: Final = "rule_id"
UNTAGGED: Final = "untagged"

#: Prefix of the attributed-amount columns in the tag table: ``attributed_initial_appropriation`` …
ATTRIBUTED_PREFIX: Final = "attributed_"


def attributed(phase: str) -> str:
    """Name of the attributed-amount column for a budget phase (integer kuruş)."""
    return ATTRIBUTED_PREFIX + phase


# ---------------------------------------------------------------------------------------------------------------
# Issues table (errors as data)
# ---------------------------------------------------------------------------------------------------------------
ISSUE_FILE: Final = "file"
ISSUE_ROW: Final = "row"  # 1-based row number in the source file, header = row 1; <NA> for file-level issues
ISSUE_COLUMN: Final = "column"
ISSUE_CODE: Final = "code"
ISSUE_SEVERITY: Final = "severity"
ISSUE_MESSAGE: Final = "message"
ISSUE_VALUE: Final = "value"
ISSUE_COLUMNS: Final = (
    ISSUE_FILE,
    ISSUE_ROW,
    ISSUE_COLUMN,
    ISSUE_CODE,
    ISSUE_SEVERITY,
    ISSUE_MESSAGE,
    ISSUE_VALUE,
)

#: Column carried on every frame a reader returns: 1-based row number in the source file (header is row 1).
SOURCE_ROW: Final = "source_row"

# ---------------------------------------------------------------------------------------------------------------
# Category codes
# ---------------------------------------------------------------------------------------------------------------
FEMALE: Final = "female"
MALE: Final = "male"
OTHER: Final = "other"
UNKNOWN: Final = "unknown"
SEX_CODES: Final = (FEMALE, MALE, OTHER, UNKNOWN)

YES: Final = "yes"
NO: Final = "no"
DISABILITY_CODES: Final = (YES, NO, UNKNOWN)

CITIZEN: Final = "citizen"
MIGRANT: Final = "migrant"
REFUGEE: Final = "refugee"
TEMPORARY_PROTECTION: Final = "temporary_protection"
MIGRANT_CODES: Final = (CITIZEN, MIGRANT, REFUGEE, TEMPORARY_PROTECTION, UNKNOWN)

#: Financing types municipalities use (5 own resources, 7 external loans, 8 grants); 1–9 are well-formed.
FINANCING_CODES: Final = ("1", "2", "3", "4", "5", "6", "7", "8", "9")

ERROR: Final = "error"
WARNING: Final = "warning"
SEVERITIES: Final = (ERROR, WARNING)


@dataclass(frozen=True)
class AgeBands:
    """Configurable age bands. ``edges`` are the lower bounds; the last band is open (``65+``).

    >>> AgeBands().labels
    ('0-4', '5-14', '15-24', '25-44', '45-64', '65+')
    """

    edges: tuple[int, ...] = (0, 5, 15, 25, 45, 65)

    def __post_init__(self) -> None:
        if not self.edges or self.edges[0] != 0 or list(self.edges) != sorted(set(self.edges)):
            raise ValueError(f"age band edges must start at 0 and increase strictly, got {self.edges!r}")

    @property
    def labels(self) -> tuple[str, ...]:
        out = [f"{lo}-{hi - 1}" for lo, hi in zip(self.edges[:-1], self.edges[1:], strict=True)]
        return (*out, f"{self.edges[-1]}+")

    @property
    def lower(self) -> tuple[int, ...]:
        return self.edges


DEFAULT_AGE_BANDS: Final = AgeBands()
AGE_MIN: Final = 0
AGE_MAX: Final = 120

# ---------------------------------------------------------------------------------------------------------------
# Labels for reports (Turkish first)
# ---------------------------------------------------------------------------------------------------------------
LABELS: Final[dict[str, tuple[str, str]]] = {
    # name: (Turkish, English)
    FISCAL_YEAR: ("Mali Yıl", "Fiscal year"),
    LINE_ID: ("Satır No", "Line id"),
    INSTITUTIONAL_CODE: ("Kurumsal Kod", "Institutional code"),
    UNIT_NAME: ("Birim", "Unit"),
    FUNCTIONAL_CODE: ("Fonksiyonel Kod", "Functional code"),
    FINANCING_TYPE: ("Finansman Tipi", "Financing type"),
    ECONOMIC_CODE: ("Ekonomik Kod", "Economic code"),
    DESCRIPTION: ("Açıklama", "Description"),
    INITIAL_APPROPRIATION: ("Başlangıç Ödeneği", "Initial appropriation"),
    REVISED_APPROPRIATION: ("Revize Ödenek", "Revised appropriation"),
    EXPENDITURE: ("Harcama", "Expenditure"),
    ACTIVITY_CODE: ("Faaliyet Kodu", "Activity code"),
    PROJECT_CODE: ("Proje Kodu", "Project code"),
    QUARTER: ("Çeyrek", "Quarter"),
    RECORD_ID: ("Kayıt No", "Record id"),
    SERVICE_CODE: ("Hizmet Kodu", "Service code"),
    SERVICE_NAME: ("Hizmet", "Service"),
    DATE: ("Tarih", "Date"),
    PERSON_ID: ("Kişi No", "Person id"),
    SEX: ("Cinsiyet", "Sex"),
    AGE: ("Yaş", "Age"),
    AGE_BAND: ("Yaş Grubu", "Age band"),
    DISABILITY: ("Engellilik", "Disability"),
    MIGRANT_STATUS: ("Göçmenlik Durumu", "Migrant status"),
    DISTRICT: ("İlçe", "District"),
    NEIGHBOURHOOD: ("Mahalle", "Neighbourhood"),
    QUANTITY: ("Miktar", "Quantity"),
    POPULATION: ("Nüfus", "Population"),
    DISABLED_POPULATION: ("Engelli Nüfus", "Disabled population"),
    MIGRANT_POPULATION: ("Göçmen Nüfus", "Migrant population"),
    ACTION_CODE: ("Eylem Kodu", "Action code"),
    AREA: ("Amaç", "Priority area"),
    TARGET_CODE: ("Hedef", "Target"),
    SCHEME: ("Ağırlıklandırma Yöntemi", "Weighting scheme"),
    CATEGORY: ("Kategori", "Category"),
    SHARE: ("Pay", "Share"),
    RULE_ID: ("Kural", "Rule"),
    ISSUE_FILE: ("Dosya", "File"),
    ISSUE_ROW: ("Satır", "Row"),
    ISSUE_COLUMN: ("Sütun", "Column"),
    ISSUE_CODE: ("Sorun Kodu", "Issue code"),
    ISSUE_SEVERITY: ("Önem", "Severity"),
    ISSUE_MESSAGE: ("Açıklama", "Message"),
    ISSUE_VALUE: ("Değer", "Value"),
    # category codes
    FEMALE: ("Kadın", "Female"),
    MALE: ("Erkek", "Male"),
    OTHER: ("Diğer", "Other"),
    UNKNOWN: ("Bilinmiyor", "Unknown"),
    YES: ("Evet", "Yes"),
    NO: ("Hayır", "No"),
    CITIZEN: ("Vatandaş", "Citizen"),
    MIGRANT: ("Göçmen", "Migrant"),
    REFUGEE: ("Mülteci", "Refugee"),
    TEMPORARY_PROTECTION: ("Geçici Koruma", "Temporary protection"),
    ERROR: ("Hata", "Error"),
    WARNING: ("Uyarı", "Warning"),
}


def label(name: str, lang: str = "tr") -> str:
    """Report label of a canonical name or category code; falls back to the name itself."""
    if lang not in ("tr", "en"):
        raise ValueError(f"lang must be 'tr' or 'en', got {lang!r}")
    pair = LABELS.get(name)
    if pair is None:
        return name
    return pair[0] if lang == "tr" else pair[1]
