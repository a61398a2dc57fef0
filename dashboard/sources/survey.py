"""Importer for capacity-survey exports (KoboToolbox or ODK Central CSV, or XLSX) guided by a mapping file.

The mapping (YAML, format in the README) says which column is which item and kind (asset or need), how
answer labels become scores, and which columns describe the respondent. Only mapped columns are read
into the warehouse: every other column is dropped and never stored, and the report lists them, with
personal ones (names, e-mails, phone numbers, GPS, free text) named as such. Respondent identifiers
become salted hashes; the salt lives in a file outside the warehouse and the import store.

CSV exports: ';' or ',' (detected from the header), quoted multi-line fields, an optional byte-order
mark, `group/subgroup/question` column names (a mapping may name a column by its full path or its last
part), XML names or labels. Kobo and ODK meta columns (`_uuid`, `_submission_time`, `_validation_status`,
`_index`, `meta/instanceID`, `ReviewState` ...) are recognised; rows whose validation status or review
state says rejected are skipped and counted. Rows are numbered as a spreadsheet shows them (the header is
row 1); a CSV row that spans several lines is also located by its first line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from dashboard import catalogue
from dashboard.sources import harmonise, limits, tabular
from dashboard.sources.errors import ImportFormatError
from dashboard.sources.imports import ImportSet

RESPONDENT_FIELDS = ("iso3", "organisation_type", "role", "career_stage", "sex", "regional_network",
                     "working_group", "organisation_name")
REQUIRED_RESPONDENT = ("iso3", "organisation_type", "role")
LEVELS = ("individual", "organisational", "network")
KINDS = ("asset", "need")
STATUS_COLUMNS = ("_validation_status", "ReviewState", "reviewstate", "__system/reviewState")
REJECTED = {"validation_status_not_approved", "not approved", "rejected", "not_approved"}
IDENTIFIER_COLUMNS = ("_uuid", "meta/instanceID", "meta/instanceid", "KEY", "instanceID", "_id")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"^\+?\(?\d[\d\s().-]{7,}\d$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# Column names that say what personal data a column holds, checked on the name and its last path part.
_PERSONAL = tuple((re.compile(rf"(^|[/_\s-]){words}($|[/_\s-]|\d)", re.IGNORECASE), reason) for words, reason in (
    (r"(e-?mail|mail|phone|mobile|tel|telephone|whatsapp|contact)", "personal: contact details"),
    (r"(gps|geo|geopoint|location|latitude|longitude|altitude|precision|point|address|coordinates)",
     "personal: GPS or location"),
    (r"(name|names|full_?name|first_?name|last_?name|surname|collector|recorder|enumerator|interviewer|"
     r"submitted_by|username|respondent)", "personal: names"),
    (r"(photo|image|picture|signature|audio|video|url)", "personal: media"),
    (r"(comments?|notes?|remarks?|describe|description|descrition|explain|other|specify|text)", "free text"),
))
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " ", "\u202f": " "})


class MappingError(ValueError):
    """The mapping file is not usable; the message names the file and the key."""


@dataclass
class Report:
    """What an import did: counts, and every column left out with why."""

    respondents: int = 0
    skipped_rejected: int = 0
    items: int = 0
    answers: int = 0
    missing_answers: int = 0
    dropped: dict[str, str] = field(default_factory=dict)  # column -> reason

    def lines(self) -> list[str]:
        out = [f"{self.respondents:,} respondents, {self.items} items, {self.answers:,} answers "
               f"({self.missing_answers:,} missing: blank, 'Don't know' or 'Not applicable')",
               f"skipped {self.skipped_rejected:,} row(s) whose validation status says rejected"]
        if self.dropped:
            out.append("dropped and never stored: " + "; ".join(f"{c} ({r})" for c, r in self.dropped.items()))
        return out


def _clean(text) -> str:
    return " ".join(str(text).translate(_APOSTROPHES).split()).casefold()


def _short(column: str) -> str:
    """The question's own name: the last part of `group/subgroup/question` (ODK also joins with '-')."""
    return re.split(r"[/]", column)[-1]


# --- the mapping -------------------------------------------------------------------------------------

@dataclass
class Mapping:
    path: Path
    survey: dict
    identifier: str | None
    respondent: dict
    scales: dict[str, dict[str, float | None]]
    items: list[dict]


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; raises MappingError naming the file and key."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MappingError(f"{path}: no such mapping file") from exc
    except yaml.YAMLError as exc:
        raise MappingError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from exc
    if not isinstance(raw, dict):
        raise MappingError(f"{path}: expected keys survey, respondent, scales, items")
    for key in ("survey", "respondent", "scales", "items"):
        if key not in raw:
            raise MappingError(f"{path}: missing key '{key}'")
    survey = raw["survey"]
    for key in ("code", "title"):
        if not isinstance(survey, dict) or not survey.get(key):
            raise MappingError(f"{path}: survey.{key} is required")
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,80}$", str(survey["code"])):
        raise MappingError(f"{path}: survey.code {survey['code']!r} may hold only letters, digits, '_', '.', '-'")
    respondent = raw["respondent"] or {}
    for key in respondent:
        if key not in RESPONDENT_FIELDS:
            raise MappingError(f"{path}: respondent.{key} is not a respondent field; allowed: "
                               f"{', '.join(RESPONDENT_FIELDS)}")
    for key in REQUIRED_RESPONDENT:
        if key not in respondent:
            raise MappingError(f"{path}: respondent.{key} is required (a column, or {{value: ...}})")
    scales = {}
    for name, scale in (raw["scales"] or {}).items():
        if not isinstance(scale, dict) or not scale:
            raise MappingError(f"{path}: scales.{name} must map answer labels to scores")
        scores = {}
        for label, score in scale.items():
            if score is not None and not isinstance(score, (int, float)):
                raise MappingError(f"{path}: scales.{name}.{label}: score must be a number or null")
            scores[_clean(label)] = score
        scales[str(name)] = scores
    items = raw["items"]
    if not isinstance(items, list) or not items:
        raise MappingError(f"{path}: items must be a non-empty list")
    seen = set()
    for n, item in enumerate(items, start=1):
        where = f"{path}: items[{n}]"
        for key in ("column", "item", "kind", "level", "domain", "scale"):
            if not isinstance(item, dict) or item.get(key) in (None, ""):
                raise MappingError(f"{where}: '{key}' is required")
        if item["kind"] not in KINDS:
            raise MappingError(f"{where}: kind must be asset or need, got {item['kind']!r}")
        if item["level"] not in LEVELS:
            raise MappingError(f"{where}: level must be one of {', '.join(LEVELS)}, got {item['level']!r}")
        if item["scale"] not in scales:
            raise MappingError(f"{where}: scale {item['scale']!r} is not defined under scales")
        if (item["item"], item["kind"]) in seen:
            raise MappingError(f"{where}: item {item['item']} is mapped twice as {item['kind']}")
        seen.add((item["item"], item["kind"]))
    return Mapping(path=path, survey=survey, identifier=raw.get("identifier"), respondent=respondent,
                   scales=scales, items=items)


# --- reading the export ----------------------------------------------------------------------------------

def read_export(path: Path, sheet: str | None = None) -> tuple[pd.DataFrame, dict[int, int]]:
    """The export's cells as strings, indexed by spreadsheet row (header = 1), and each row's first line
    in the file (CSV only: a quoted field may span lines)."""
    path = Path(path)
    if not path.is_file():
        raise ImportFormatError(path, "no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        limits.check_workbook(path)
        try:
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, keep_default_na=False)
        except (ValueError, OSError, KeyError) as exc:
            raise ImportFormatError(path, f"not a readable workbook ({str(exc).splitlines()[0]})") from exc
        frame.columns = [str(c) for c in frame.columns]
        frame.index = pd.RangeIndex(2, len(frame) + 2)
        return frame, {}
    text = tabular.read_text(path)
    header_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=lambda d: _unquoted(header_line).count(d))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, lines, previous = [], {}, 0
    try:
        header = next(reader)
        previous = reader.line_num
        for record in reader:
            if any(cell.strip() for cell in record):
                if len(record) != len(header):
                    raise ImportFormatError(path, f"{len(record)} fields where the header has {len(header)}",
                                            line=previous + 1)
                lines[len(rows) + 2] = previous + 1
                rows.append(record)
            previous = reader.line_num
    except csv.Error as exc:
        raise ImportFormatError(path, f"malformed CSV ({exc}); the file may be truncated", line=previous + 1) from exc
    except StopIteration as exc:
        raise ImportFormatError(path, "the file is empty", line=1) from exc
    frame = pd.DataFrame(rows, columns=header, dtype=str, index=pd.RangeIndex(2, len(rows) + 2))
    return frame, lines


def _unquoted(line: str) -> str:
    return re.sub(r'"(?:[^"]|"")*"', "", line)


def _find(columns: list[str], name: str) -> str | None:
    """The export column a mapping names: exactly, by its last path part, or ignoring case and spacing."""
    for test in (lambda c: c == name, lambda c: _short(c) == name, lambda c: _clean(c) == _clean(name),
                 lambda c: _clean(_short(c)) == _clean(name)):
        found = [c for c in columns if test(c)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise MappingError(f"column {name!r} matches several columns of the export: {', '.join(found)}")
    return None


_META = {"start", "end", "today", "deviceid", "SubmissionDate", "SubmitterID", "Status", "DeviceID", "Edits",
         "FormVersion", "KEY", "AttachmentsPresent", "AttachmentsExpected", "ReviewState", "instanceID"}


def _reason(column: str, values: pd.Series) -> str:
    """Why a column the mapping does not use is dropped (all are; this says what kind of data it held)."""
    sample = [v for v in values.head(200) if isinstance(v, str) and v.strip()]
    if any(_EMAIL.search(v) for v in sample):
        return "personal: e-mail addresses"
    for pattern, reason in _PERSONAL:
        if pattern.search(column) or pattern.search(re.sub(r"(?<=[a-z])(?=[A-Z])", "_", column)):
            return reason
    if sample and sum(bool(_PHONE.match(v)) and not _DATE.match(v) for v in sample) > len(sample) / 2:
        return "personal: phone numbers"
    if sample and (sum(len(v) > 40 or "\n" in v for v in sample) > len(sample) / 4):
        return "free text"
    if column.startswith(("_", "meta/", "meta-", "__system/")) or column in _META:
        return "export metadata"
    return "not in the mapping"


# --- building the import -----------------------------------------------------------------------------

def salt(path: Path) -> tuple[bytes, bool]:
    """(the secret salt, whether it is new): read from `path`, or drawn afresh (the caller writes it only
    once the import has succeeded, so a failed import leaves no file behind)."""
    path = Path(path)
    if path.is_file():
        return path.read_bytes().strip(), False
    return secrets.token_hex(32).encode(), True


def write_salt(path: Path, value: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(value + b"\n")
    path.chmod(0o600)


def _respondent_value(spec, frame: pd.DataFrame, columns: list[str], key: str, path: Path):
    """A respondent field as a Series: a column as is, a column through a value map, or a constant."""
    if isinstance(spec, str):
        spec = {"column": spec}
    if not isinstance(spec, dict):
        raise MappingError(f"respondent.{key}: give a column name, {{column: ..., values: ...}} or {{value: ...}}")
    if "value" in spec:
        return pd.Series(spec["value"], index=frame.index, dtype=object), None
    column = _find(columns, str(spec.get("column", "")))
    if column is None:
        raise ImportFormatError(path, f"no column {spec.get('column')!r} for respondent.{key} in the export",
                                line=1)
    values = frame[column].map(lambda v: v.strip() if isinstance(v, str) else v).replace("", None)
    if "values" in spec:
        lookup = {_clean(k): v for k, v in spec["values"].items()}
        values = values.map(lambda v: lookup.get(_clean(v), v) if v is not None else None)
    return values, column


def to_import_set(path: Path, mapping: Mapping, salt_value: bytes,
                  sheet: str | None = None) -> tuple[ImportSet, Report]:
    """Read `path` through `mapping` into the survey tables; raises ImportFormatError at the first bad row
    (naming row, line and column) before anything is written."""
    path = Path(path)
    frame, lines = read_export(path, sheet)
    columns = list(frame.columns)
    report = Report()

    def fail(row: int, column: str | None, message: str):
        raise ImportFormatError(path, f"row {row}: {message}", line=lines.get(row), column=column)

    status = next((c for c in columns if c in STATUS_COLUMNS), None)
    if status is not None:
        rejected = frame[status].map(_clean).isin(REJECTED)
        report.skipped_rejected = int(rejected.sum())
        frame = frame[~rejected]

    used: set[str] = {status} if status else set()
    respondents = pd.DataFrame(index=frame.index)
    for key, spec in mapping.respondent.items():
        respondents[key], column = _respondent_value(spec, frame, columns, key, path)
        if column:
            used.add(column)
    identifier = _find(columns, mapping.identifier) if mapping.identifier else next(
        (c for c in IDENTIFIER_COLUMNS if c in columns), None)
    if mapping.identifier and identifier is None:
        raise ImportFormatError(path, f"no identifier column {mapping.identifier!r} in the export", line=1)
    raw_ids = frame[identifier] if identifier else pd.Series([f"row-{i}" for i in frame.index], index=frame.index)
    if identifier:
        used.add(identifier)

    known = set(catalogue.countries()["iso3"])
    for row, values in respondents.iterrows():
        for key in REQUIRED_RESPONDENT:
            if values.get(key) is None or pd.isna(values.get(key)):
                fail(row, _column_of(mapping.respondent[key], columns), f"respondent.{key} is empty")
        iso3 = str(values["iso3"]).strip()
        code = iso3.upper() if iso3.upper() in known else (harmonise.iso3_for_code(iso3) or
                                                           harmonise.iso3_for_name(iso3))
        if code not in known:
            fail(row, _column_of(mapping.respondent["iso3"], columns), f"{iso3!r} is not a country (ISO3 code or name)")
        respondents.at[row, "iso3"] = code
        for key in RESPONDENT_FIELDS:
            value = values.get(key)
            if isinstance(value, str) and (_EMAIL.search(value) or (_PHONE.match(value) and not _DATE.match(value))):
                fail(row, _column_of(mapping.respondent[key], columns),
                     f"respondent.{key} looks like an e-mail address or phone number; personal data is never stored")
        if pd.isna(raw_ids.at[row]) or not str(raw_ids.at[row]).strip():
            fail(row, identifier, "the respondent identifier is empty")
    hashed = raw_ids.map(lambda v: hashlib.sha256(salt_value + b"\0" + str(v).strip().encode()).hexdigest()[:20])
    repeated = hashed.duplicated(keep=False)
    if repeated.any():
        rows = list(hashed.index[repeated])
        fail(rows[1], identifier, f"the respondent identifier repeats row {rows[0]}")

    code = str(mapping.survey["code"])
    answers, item_rows = [], {}
    for item in mapping.items:
        column = _find(columns, str(item["column"]))
        if column is None:
            raise ImportFormatError(path, f"no column {item['column']!r} (item {item['item']}) in the export", line=1)
        used.add(column)
        scale = mapping.scales[item["scale"]]
        numbers = [s for s in scale.values() if s is not None]
        for row, cell in frame[column].items():
            text = _clean(cell) if isinstance(cell, str) else ""
            if text == "":
                score = None
            elif text in scale:
                score = scale[text]
            else:
                fail(row, column, f"answer {cell.strip()!r} is not on scale '{item['scale']}' "
                                  f"({', '.join(repr(k) for k in scale)})")
            if score is None:
                report.missing_answers += 1
            answers.append({"survey_code": code, "respondent_id": hashed.at[row], "item_code": str(item["item"]),
                            "kind": item["kind"], "score": score})
        entry = item_rows.setdefault(str(item["item"]), {
            "survey_code": code, "item_code": str(item["item"]), "level": item["level"],
            "competency": str(item.get("competency") or item["domain"]), "domain": str(item["domain"]),
            "text": str(item.get("text") or _short(column)), "score_min": int(min(numbers)),
            "score_max": int(max(numbers)), "kinds": item["kind"]})
        if entry["kinds"] != item["kind"]:
            entry["kinds"] = "both"
        entry["score_min"], entry["score_max"] = min(entry["score_min"], min(numbers)), max(entry["score_max"],
                                                                                           max(numbers))

    report.dropped = {c: _reason(c, frame[c]) for c in columns if c not in used}
    report.respondents, report.items = len(frame), len(item_rows)
    report.answers = len(answers) - report.missing_answers
    source_code = f"SURVEY_{code}"
    people = respondents.assign(survey_code=code, respondent_id=hashed)
    survey = mapping.survey
    tables = {
        "dim_survey": pd.DataFrame([{"survey_code": code, "title": str(survey["title"]), "year": survey.get("year"),
                                     "source_code": source_code, "description": survey.get("description"),
                                     "series": survey.get("series")}]),
        "survey_respondent": people.reset_index(drop=True),
        "survey_item": pd.DataFrame(list(item_rows.values())),
        "survey_response": pd.DataFrame(answers, columns=["survey_code", "respondent_id", "item_code", "kind",
                                                          "score"]).astype({"score": "Int64"}),
    }
    source = pd.DataFrame([{
        "source_code": source_code, "publisher": str(survey.get("publisher") or "Survey owner"),
        "title": str(survey["title"]), "release": str(survey.get("year") or ""), "url": survey.get("url"),
        "licence": str(survey.get("licence") or "as stated by the survey owner"),
        "citation": survey.get("citation"), "retrieved_at": pd.Timestamp.now().floor("s"), "is_synthetic": False}])
    return ImportSet(source=source, tables=tables), report


def _column_of(spec, columns: list[str]) -> str | None:
    if isinstance(spec, str):
        return _find(columns, spec)
    if isinstance(spec, dict) and "column" in spec:
        return _find(columns, str(spec["column"]))
    return None
