"""Consistency checks across the cells of a return, and against the budget (issues as data, vectorised).

Codes (stable :class:`gcdb.errors.IssueCode` members; besides the forms' own, :data:`gcdb.forms.FORM_CODES`):

* ``duplicate_return`` — a unit sent its form for one year more than once (error on the copies not used);
* ``inconsistent_progress`` — the progress does not fit the status: 100 % but *devam ediyor*, below 100 % but
  *tamamlandı*, above 0 % but *başlanmadı* (warning on the progress cell);
* ``spent_not_started`` — money spent on an action reported as *başlanmadı* (warning on the money cell);
* ``spent_exceeds_appropriation`` — the money the units report for an action is more than the revised
  appropriation of the budget lines tagged to it (warning on each reporting unit's money cell);
* ``spent_without_tagged_line`` — money reported for an action no budget line is tagged to (warning: the rule set
  may miss the line the unit names, or the money came from elsewhere).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from gcdb import columns as C
from gcdb.errors import IssueCode
from gcdb.forms import CELL, SHEET, concat_form_issues, form_issues_frame
from gcdb.monitor import form as F
from gcdb.monitor import names as N
from gcdb.read.numbers import format_kurus
from gcdb.text import map_distinct

#: The monitoring checks' codes are :class:`gcdb.errors.IssueCode` members (one vocabulary for every issues
#: table); ``MonitorIssueCode`` is kept as a name for them.
MonitorIssueCode = IssueCode

#: The codes only the monitoring checks give.
MONITOR_CODES: Final = (
    IssueCode.DUPLICATE_RETURN,
    IssueCode.INCONSISTENT_PROGRESS,
    IssueCode.SPENT_NOT_STARTED,
    IssueCode.SPENT_EXCEEDS_APPROPRIATION,
    IssueCode.SPENT_WITHOUT_TAGGED_LINE,
)


_MESSAGES = {
    "full_in_progress": (
        "ilerleme %100 ama durum 'Devam ediyor'; eylem tamamlandıysa durumu 'Tamamlandı' yapınız",
        "progress is 100 % but the status is 'In progress'; if the action is done, set the status to 'Done'",
    ),
    "done_not_full": (
        "durum 'Tamamlandı' ama ilerleme %100'ün altında",
        "the status is 'Done' but the progress is below 100 %",
    ),
    "progress_not_started": (
        "durum 'Başlanmadı' ama ilerleme %0'dan büyük",
        "the status is 'Not started' but the progress is above 0 %",
    ),
    "spent_not_started": (
        "durum 'Başlanmadı' ama harcama bildirilmiş",
        "the status is 'Not started' but money spent is reported",
    ),
    "exceeds": (
        "eyleme bildirilen harcama ({spent} TL) eyleme etiketlenen bütçe satırlarının revize ödeneğini "
        "({revised} TL) aşıyor",
        "the money reported for the action ({spent} TL) is more than the revised appropriation of the budget "
        "lines tagged to it ({revised} TL)",
    ),
    "untagged": (
        "harcama bildirilmiş ({spent} TL) ama bu eyleme etiketlenmiş bir bütçe satırı yok; bütçe kalemi "
        "kurallarını ya da bildirilen kodu kontrol ediniz",
        "money spent is reported ({spent} TL) but no budget line is tagged to this action; check the rule set or "
        "the code reported",
    ),
}


def _msg(key: str, lang: str, **values) -> str:
    text = _MESSAGES[key][0 if lang == "tr" else 1]
    return text.format(**values) if values else text


def _issues(
    frame: pd.DataFrame,
    mask: np.ndarray,
    cell_col: str,
    column: str,
    code,
    messages,
    values,
    severity: str = C.WARNING,
) -> pd.DataFrame:
    """Issues on the rows of ``frame`` at ``mask`` naming the cells of ``cell_col``."""
    if not mask.any():
        return form_issues_frame()
    picked = frame[mask]
    cells = picked[cell_col].astype("str")
    messages = (
        messages[mask]
        if isinstance(messages, np.ndarray)
        else np.full(int(mask.sum()), messages, dtype=object)
    )
    return pd.DataFrame(
        {
            C.ISSUE_FILE: picked[N.SOURCE_FILE].to_numpy(),
            C.ISSUE_ROW: picked[C.SOURCE_ROW].to_numpy(),
            C.ISSUE_COLUMN: column,
            C.ISSUE_CODE: str(code),
            C.ISSUE_SEVERITY: severity,
            C.ISSUE_MESSAGE: messages,
            C.ISSUE_VALUE: pd.Series(values, dtype="str").fillna("").to_numpy()[mask],
            SHEET: cells.str.split("!").str[0].to_numpy(),
            CELL: cells.to_numpy(),
        }
    )


def _header(field: str, lang: str) -> str:
    return F.ACTIONS.field(field).label.get(lang)


def check_actions(actions: pd.DataFrame, lang: str = "tr") -> pd.DataFrame:
    """Progress against status, and money against status, on the collected action rows (:data:`ACTION_COLUMNS`
    of :mod:`gcdb.monitor.collect`)."""
    status = actions[N.STATUS].to_numpy(dtype=object)
    progress = actions[N.PROGRESS].astype("Float64")
    has_progress = progress.notna().to_numpy()
    p = progress.fillna(0).to_numpy(dtype=float)
    spent = actions[N.SPENT].astype("Int64").fillna(0).to_numpy(dtype=np.int64)
    checks = [
        ((status == N.IN_PROGRESS) & has_progress & (p >= 100), "full_in_progress"),
        ((status == N.DONE) & has_progress & (p < 100), "done_not_full"),
        ((status == N.NOT_STARTED) & has_progress & (p > 0), "progress_not_started"),
    ]
    frames = [
        _issues(
            actions,
            mask,
            N.PROGRESS_CELL,
            _header(N.PROGRESS, lang),
            MonitorIssueCode.INCONSISTENT_PROGRESS,
            _msg(key, lang),
            progress.astype("str"),
        )
        for mask, key in checks
    ]
    mask = (status == N.NOT_STARTED) & (spent > 0)
    frames.append(
        _issues(
            actions,
            mask,
            N.SPENT_CELL,
            _header(N.SPENT, lang),
            MonitorIssueCode.SPENT_NOT_STARTED,
            _msg("spent_not_started", lang),
            _lira(spent, lang),
        )
    )
    return concat_form_issues(frames)


def _lira(kurus: np.ndarray, lang: str) -> pd.Series:
    """Kuruş as lira text, formatted once per distinct amount."""
    codes, uniques = pd.factorize(np.asarray(kurus, dtype=np.int64))
    return pd.Series(
        np.array([format_kurus(int(k), lang) for k in uniques] + [""], dtype=object)[codes], dtype="str"
    )


def check_spending(actions: pd.DataFrame, money: pd.DataFrame, lang: str = "tr") -> pd.DataFrame:
    """Reported money against the tagged revised appropriation of each action and year.

    ``money``: ``fiscal_year, action_code, attributed_revised_appropriation`` (kuruş). Every reporting unit's
    money cell of an action whose reported total exceeds it gets a warning (``spent_exceeds_appropriation``, or
    ``spent_without_tagged_line`` when nothing is tagged)."""
    rows = actions[actions[N.SPENT].astype("Int64").fillna(0) > 0]
    if rows.empty:
        return form_issues_frame()
    key = [C.FISCAL_YEAR, C.ACTION_CODE]
    total = rows.groupby(key)[N.SPENT].transform("sum").astype("int64").to_numpy()
    revised_col = C.attributed(C.REVISED_APPROPRIATION)
    revised = (
        rows[key]
        .merge(money[[*key, revised_col]].drop_duplicates(key), on=key, how="left")[revised_col]
        .fillna(0)
        .astype("int64")
        .to_numpy()
    )
    exceeds = (revised > 0) & (total > revised)
    untagged = revised == 0
    spent_text, revised_text = _lira(total, lang), _lira(revised, lang)
    pairs = spent_text + "\x1f" + revised_text
    exceeds_msg = map_distinct(
        pairs, lambda t: _msg("exceeds", lang, spent=t.split("\x1f")[0], revised=t.split("\x1f")[1])
    ).to_numpy(dtype=object)
    untagged_msg = map_distinct(spent_text, lambda t: _msg("untagged", lang, spent=t)).to_numpy(dtype=object)
    header = _header(N.SPENT, lang)
    own = _lira(rows[N.SPENT].astype("int64").to_numpy(), lang)
    return concat_form_issues(
        [
            _issues(
                rows,
                exceeds,
                N.SPENT_CELL,
                header,
                MonitorIssueCode.SPENT_EXCEEDS_APPROPRIATION,
                exceeds_msg,
                own,
            ),
            _issues(
                rows,
                untagged,
                N.SPENT_CELL,
                header,
                MonitorIssueCode.SPENT_WITHOUT_TAGGED_LINE,
                untagged_msg,
                own,
            ),
        ]
    )
