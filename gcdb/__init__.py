"""gcdb — gender-responsive budgeting (TCDB) and equality-in-services (Hizmette Eşitlik) for municipalities.

The public API, in the order of the data flow: read → validate → normalise → tag → aggregate → ratios → report.
"""

from gcdb import columns
from gcdb.errors import CatalogueError, DataValidationError, GcdbError, IssueCode, RuleError, UsageError
from gcdb.text import fold, tr_lower, tr_upper

__version__ = "0.1.0.dev0"

__all__ = [
    "__version__",
    "columns",
    # errors as data
    "GcdbError",
    "DataValidationError",
    "RuleError",
    "CatalogueError",
    "UsageError",
    "IssueCode",
    # text
    "fold",
    "tr_lower",
    "tr_upper",
]
