"""The responses export: one row per verified return or phone response, columns named from the questionnaire's codes.

Answers and facts about the return only: no names, addresses or phone numbers, so it can be merged with the
online survey's export and shared with analysts.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from service.models import PhoneResponse, Return
from service.models.consultations import UK
from service.questionnaires.answers import label_for, normalise
from service.questionnaires.definition import Questionnaire

FIXED_COLUMNS = (
    "response_id",
    "response_mode",
    "questionnaire_version",
    "date_received",
    "late",
    "duplicate_of",
    "local_authority",
)
# A spreadsheet runs a cell starting with one of these as a formula; free text is written with a leading quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def columns(questionnaire: Questionnaire) -> list[str]:
    """The export's column names: the fixed ones, then each question's code (and `_label` for closed ones)."""
    names = list(FIXED_COLUMNS)
    for q in questionnaire.questions:
        names.append(q.code)
        if q.type != "text":
            names.append(f"{q.code}_label")
    return names


def row(questionnaire: Questionnaire, ret: Return) -> dict[str, str]:
    """One verified return as export values."""
    request = ret.pack.request if ret.pack else None
    values = {
        "response_id": f"paper-{ret.id}",
        "response_mode": "paper",
        "questionnaire_version": str(printed_version(questionnaire, ret)),
        "date_received": ret.received_on.isoformat(),
        "late": "yes" if ret.is_late else "no",
        "duplicate_of": f"paper-{ret.duplicate_of_id}" if ret.duplicate_of_id else "",
        "local_authority": (request.local_authority or "") if request else "",
    }
    return {**values, **_answer_values(questionnaire, ret.final_answers or {})}


def printed_version(questionnaire: Questionnaire, ret: Return) -> int:
    """The questionnaire version the returned form was printed with; for a form with no reference, the version
    of the keying form its answers were typed into."""
    if ret.pack is not None and ret.pack.questionnaire_version is not None:
        return ret.pack.questionnaire_version
    keyed = [k.questionnaire_version for k in ret.keyings if k.questionnaire_version is not None]
    return keyed[0] if keyed else questionnaire.version


def phone_row(questionnaire: Questionnaire, response: PhoneResponse) -> dict[str, str]:
    """One verified phone response as export values: the same columns, joined the same way as paper."""
    if response.finished_at is None:  # set whenever a response is verified (finish_phone_response)
        raise ValueError(f"phone response {response.id} is verified but has no finishing time")
    finished = response.finished_at.astimezone(UK).date()
    values = {
        "response_id": f"phone-{response.id}",
        "response_mode": "phone",
        "questionnaire_version": str(response.questionnaire_version),
        "date_received": finished.isoformat(),
        "late": "yes" if finished > response.consultation.closes_on else "no",
        "duplicate_of": "",
        "local_authority": "",  # no address is asked for on the phone survey
    }
    # A question never reached (or skipped) is "not answered", as on a paper form left blank.
    not_answered = questionnaire.missing_codes.get("not_answered")
    answers = {
        q.code: response.answers.get(q.code, "" if q.type == "text" or not not_answered else not_answered.code)
        for q in questionnaire.questions
    }
    return {**values, **_answer_values(questionnaire, answers)}


def _answer_values(questionnaire: Questionnaire, answers: dict[str, str]) -> dict[str, str]:
    values = {}
    for q in questionnaire.questions:
        value = normalise(q, answers.get(q.code, ""))
        values[q.code] = value
        if q.type != "text":
            values[f"{q.code}_label"] = label_for(questionnaire, q, value)
    return values


def rows(
    questionnaire: Questionnaire, returns: Iterable[Return], phone_responses: Iterable[PhoneResponse] = ()
) -> list[dict[str, str]]:
    """Every row of the export: paper returns, then phone responses."""
    return [row(questionnaire, ret) for ret in returns] + [phone_row(questionnaire, r) for r in phone_responses]


def to_csv(questionnaire: Questionnaire, export_rows: Iterable[dict[str, str]]) -> str:
    """The export as CSV text."""
    text_columns = {q.code for q in questionnaire.questions if q.type == "text"}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(questionnaire), lineterminator="\r\n")
    writer.writeheader()
    for values in export_rows:
        values = dict(values)
        for name in text_columns:
            if values[name].startswith(_FORMULA_STARTS):
                values[name] = "'" + values[name]
        writer.writerow(values)
    return out.getvalue()


def to_json(questionnaire: Questionnaire, export_rows: Iterable[dict[str, str]]) -> str:
    """The export as a JSON list of objects with the same keys as the CSV's columns."""
    return json.dumps(list(export_rows), ensure_ascii=False, indent=1)
