"""Extracts: filtered indicator values as parquet, a CSV zip with a Frictionless Data Package, or XLSX, each
carrying its own metadata (definitions, units, sources, licences, the filter, the build, whether any value is
synthetic, a citation).

Values stream from DuckDB in Arrow record batches straight into the file writer, so memory stays flat however
large the extract; the file is written beside its target and renamed into place. The same function writes
the Extract page's downloads and `python -m dashboard extract`, so both give the same file for the same
selection (apart from its creation time).
"""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import uuid
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dashboard import contract, db, sql

QUERY = "extract/values_by_selection"
FORMATS = {"parquet": ".parquet", "csv": ".csv.zip", "xlsx": ".xlsx"}
EXCEL_MAX_ROWS = 1_048_575  # a worksheet's rows, less the header
BATCH_ROWS = 100_000
CHUNK_INDICATORS = 50  # indicators sorted and streamed at a time (bounds DuckDB's memory)
METADATA_KEY = b"hss_extract"
# Spreadsheet formula injection: a text cell starting with one of these is opened as a formula.
FORMULA_START = r"^[=+\-@\t\r]"

COLUMNS: dict[str, str] = {
    "indicator_code": "Publisher's code of the indicator",
    "indicator_name": "Indicator name",
    "unit": "Unit of estimate, se, ci_lower and ci_upper",
    "iso3": "ISO 3166-1 alpha-3 code of the country or area",
    "country": "Country or area name",
    "who_region": "WHO region code",
    "income_group": "World Bank income group (FY2025)",
    "admin1_code": "ISO 3166-2 or boundary code of the subnational area (empty at national level)",
    "year": "Year of the value",
    "dimension": "Dimension of inequality ('Total' for the national value), WHO HEAT vocabulary",
    "subgroup": "Population subgroup ('Total' for the national value)",
    "subgroup_order": "Order of the subgroup in an ordered dimension (1 = most disadvantaged)",
    "estimate": "Value of the indicator, in `unit`",
    "se": "Standard error of the estimate, in `unit`",
    "ci_lower": "Lower bound of the 95% confidence interval, in `unit`",
    "ci_upper": "Upper bound of the 95% confidence interval, in `unit`",
    "population": "Population of the subgroup",
    "source_code": "Source release the value comes from (see the metadata's sources)",
    "flag": "Note on the value: imputed, modelled, low n ...",
    "is_synthetic": "True when the value is synthetic demo data, not a real measurement",
}


class SelectionError(ValueError):
    """A selection names something the warehouse does not hold; the message names the field and suggests."""


@dataclass(frozen=True)
class Selection:
    """What an extract holds. Empty country, region and income lists mean all; `dimensions` empty means every
    dimension ('Total' alone is the national values); `subgroups` empty means every subgroup of the chosen
    dimensions (the national 'Total' rows are kept either way). `wb_regions` are World Bank region codes
    (SSF, EAS ...)."""

    indicators: tuple[str, ...]
    countries: tuple[str, ...] = ()
    who_regions: tuple[str, ...] = ()
    income_groups: tuple[str, ...] = ()
    year_from: int = 1900
    year_to: int = 2100
    dimensions: tuple[str, ...] = (contract.TOTAL,)
    subnational: bool = False
    wb_regions: tuple[str, ...] = ()
    subgroups: tuple[str, ...] = ()

    def params(self) -> dict:
        """The extract query's parameters."""
        from dashboard import catalogue

        return {"indicator_codes": list(self.indicators), "iso3_codes": list(self.countries),
                "who_regions": list(self.who_regions), "income_groups": list(self.income_groups),
                "wb_regions": [catalogue.WB_REGION_CODES.get(code, code) for code in self.wb_regions],
                "year_from": int(self.year_from), "year_to": int(self.year_to),
                "dimensions": list(self.dimensions), "subgroups": list(self.subgroups),
                "subnational": bool(self.subnational)}


@dataclass
class Known:
    """The codes a selection may use (from the warehouse)."""

    indicators: Sequence[str]
    countries: Sequence[str]
    who_regions: Sequence[str]
    income_groups: Sequence[str]
    dimensions: Sequence[str] = field(default_factory=lambda: [contract.TOTAL])
    wb_regions: Sequence[str] = ()
    subgroups: Sequence[str] = ()


def known(connection: duckdb.DuckDBPyConnection) -> Known:
    """What a selection may name in this warehouse."""
    from dashboard import catalogue

    indicators = db.run(connection, "indicators/catalogue_by_indicator")
    countries = db.run(connection, "countries/catalogue_by_country")
    dimensions = {d for dims in indicators["dimensions"] for d in dims} | {contract.TOTAL}
    subgroups = db.run(connection, "extract/subgroups_by_dimension")
    return Known(indicators=list(indicators["indicator_code"]), countries=list(countries["iso3"]),
                 who_regions=list(catalogue.WHO_REGIONS), income_groups=list(catalogue.INCOME_GROUPS),
                 dimensions=sorted(dimensions), wb_regions=list(catalogue.WB_REGION_CODES),
                 subgroups=sorted(set(subgroups["subgroup"])))


def _refuse_unknown(label: str, chosen: Sequence[str], allowed: Sequence[str], list_known: bool = False) -> None:
    """Raise SelectionError for the first of `chosen` not in `allowed`, naming the closest valid ones (or, with
    `list_known` and none close, every valid one: a short list such as the building blocks)."""
    allowed = list(allowed)
    for name in chosen:
        if name not in allowed:
            close = difflib.get_close_matches(name, allowed, n=3, cutoff=0.5)
            known = f"; known: {', '.join(allowed)}" if list_known else ""
            hint = f"; closest: {', '.join(close)}" if close else known
            raise SelectionError(f"unknown {label} {name!r}{hint}")


def check_groups(blocks: Sequence[str], domains: Sequence[str], indicators) -> None:
    """Raise SelectionError for a building block or domain the catalogue (catalogue_by_indicator rows) lacks."""
    _refuse_unknown("building block", blocks, sorted(set(indicators["building_block"].dropna())), list_known=True)
    _refuse_unknown("domain", domains, sorted(set(indicators["domain"].dropna())), list_known=True)


def check(selection: Selection, known: Known) -> None:
    """Raise SelectionError naming the first unknown code and the closest valid ones."""
    if not selection.indicators:
        raise SelectionError("choose at least one indicator (--indicator CODE, --block NAME or --domain NAME)")
    if selection.year_from > selection.year_to:
        raise SelectionError(f"years: {selection.year_from} is after {selection.year_to}")
    for label, chosen, allowed in (("indicator", selection.indicators, known.indicators),
                                   ("country", selection.countries, known.countries),
                                   ("WHO region", selection.who_regions, known.who_regions),
                                   ("income group", selection.income_groups, known.income_groups),
                                   ("World Bank region", selection.wb_regions, known.wb_regions),
                                   ("dimension", selection.dimensions, known.dimensions),
                                   ("subgroup", selection.subgroups, known.subgroups)):
        _refuse_unknown(label, chosen, allowed)


def metadata(selection: Selection, warehouse: db.Warehouse, indicators: list[dict], sources: list[dict],
             has_synthetic: bool, created_at: datetime | None = None) -> dict:
    """The extract's provenance: indicators with definitions, units and sources; the filter; the build;
    whether any value is synthetic; the code version; a suggested citation."""
    if hasattr(sources, "to_dict"):
        sources = sources.to_dict("records")
    by_source = {s["source_code"]: s for s in sources}
    created = (created_at or datetime.now(UTC)).isoformat(timespec="seconds")
    publishers = sorted({s["publisher"] for s in sources if not s["is_synthetic"]})
    citation = (f"HSS dashboard extract, build {warehouse.build_id}, created {created[:10]}. "
                + (f"Data: {'; '.join(publishers)}. " if publishers else "")
                + ("Includes synthetic demo data: not real measurements; do not cite as such." if has_synthetic
                   else ""))
    return {
        "title": "HSS dashboard extract",
        "created_at": created,
        "filter": asdict(selection),
        "build_id": warehouse.build_id,
        "built_at": str(warehouse.meta.get("built_at")),
        "code_version": str(warehouse.meta.get("code_version")),
        "has_synthetic": bool(has_synthetic),
        "synthetic_note": ("Some values are synthetic demo data, generated for demonstration: they are not WHO "
                           "or World Bank data." if has_synthetic else "No value is synthetic."),
        "indicators": [{
            "code": row["indicator_code"], "name": row["name"], "unit": row["unit"],
            "scale": None if row.get("indicator_scale") is None else int(row["indicator_scale"]),
            "definition": row["definition"], "higher_is_better": bool(row["favourable_indicator"]),
            "sources": [{key: _plain(by_source[code].get(key)) for key in
                         ("source_code", "publisher", "title", "release", "licence", "url", "is_synthetic")}
                        for code in row["source_codes"] if code in by_source],
        } for row in indicators],
        "sources": [{key: _plain(value) for key, value in s.items()} for s in sources],
        "citation": citation.strip(),
        "columns": COLUMNS,
    }


def _plain(value):
    """A JSON-friendly copy of a metadata value (timestamps as text, missing as null)."""
    if value is None:
        return None
    if isinstance(value, (str, bool, int, float)):
        return None if isinstance(value, float) and value != value else value
    return str(value)


def batches(connection: duckdb.DuckDBPyConnection, selection: Selection) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """The extract's rows as Arrow record batches, in the query's order, holding little in memory: the
    indicators are read CHUNK_INDICATORS at a time in code order (the query sorts by indicator first), so
    DuckDB sorts one chunk, never the whole extract."""
    query = sql.load(QUERY)
    query.check(selection.params())
    codes = sorted(selection.indicators)
    chunks = [codes[i:i + CHUNK_INDICATORS] for i in range(0, len(codes), CHUNK_INDICATORS)] or [[]]

    def reader_of(chunk):
        cursor = connection.cursor()
        params = {**selection.params(), "indicator_codes": chunk}
        return cursor, cursor.sql(query.text, params=params).to_arrow_reader(BATCH_ROWS)

    first_cursor, first = reader_of(chunks[0])

    def rows():
        cursor, reader = first_cursor, first
        try:
            yield from reader
            for chunk in chunks[1:]:
                cursor.close()
                cursor, reader = reader_of(chunk)
                yield from (batch.cast(first.schema) for batch in reader)
        finally:
            cursor.close()

    return first.schema, rows()


def _schema(schema: pa.Schema, meta: dict) -> pa.Schema:
    """The Arrow schema with each column's meaning (and unit) as field metadata and the extract's metadata."""
    fields = [f.with_metadata({b"description": COLUMNS.get(f.name, "").encode()}) for f in schema]
    return pa.schema(fields, metadata={METADATA_KEY: json.dumps(meta, ensure_ascii=False).encode()})


def _neutralised(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Text cells that a spreadsheet would run as a formula, prefixed with an apostrophe."""
    columns = []
    for column in batch.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            risky = pc.fill_null(pc.match_substring_regex(column, FORMULA_START), False)
            column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def write(connection: duckdb.DuckDBPyConnection, selection: Selection, target: Path, fmt: str,
          meta: dict) -> int:
    """Write the extract to `target` in `fmt` ('parquet', 'csv', 'xlsx'); returns the number of rows.

    Written to a temporary file beside the target and renamed into place, so a failure leaves nothing.
    """
    if fmt not in FORMATS:
        raise SelectionError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temporary, "wb") as sink:
            rows = write_to(sink, connection, selection, fmt, meta)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return rows


def write_to(sink, connection, selection: Selection, fmt: str, meta: dict) -> int:
    """Write the extract in `fmt` to an open binary file; returns the number of rows."""
    if fmt == "xlsx":
        rows = int(db.run(connection, "extract/count_by_selection", **selection.params())["rows"].iloc[0])
        if rows > EXCEL_MAX_ROWS:
            raise SelectionError(f"{rows:,} rows do not fit in one Excel sheet ({EXCEL_MAX_ROWS:,}); "
                                 "choose parquet or CSV, or narrow the selection")
    schema, stream = batches(connection, selection)
    if fmt == "parquet":
        return _parquet(sink, schema, stream, meta)
    if fmt == "csv":
        return _csv_zip(sink, schema, stream, meta)
    return _xlsx(sink, schema, stream, meta)


def to_bytes(connection, selection: Selection, fmt: str, meta: dict) -> bytes:
    """The extract file's bytes (for a download button)."""
    buffer = io.BytesIO()
    write_to(buffer, connection, selection, fmt, meta)
    return buffer.getvalue()


def _parquet(sink, schema: pa.Schema, stream, meta: dict) -> int:
    rows = 0
    with pq.ParquetWriter(sink, _schema(schema, meta), compression="zstd") as writer:
        for batch in stream:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


FRICTIONLESS_TYPES = {"string": "string", "large_string": "string", "int32": "integer", "int64": "integer",
                      "double": "number", "float": "number", "bool": "boolean"}


def datapackage(schema: pa.Schema, meta: dict, rows: int) -> dict:
    """A Frictionless Data Package descriptor for the CSV: field types and meanings, units, sources,
    licences and the extract's provenance."""
    licences = sorted({s["licence"] for s in meta["sources"] if s.get("licence")})
    units = {i["code"]: i["unit"] for i in meta["indicators"]}
    return {
        "name": "hss-dashboard-extract",
        "title": meta["title"],
        "created": meta["created_at"],
        "description": f"{meta['synthetic_note']} Filter: {json.dumps(meta['filter'])}.",
        "licenses": [{"name": name, "title": name} for name in licences],
        "sources": [{"title": f"{s['publisher']}: {s['title']}", "path": s.get("url") or "",
                     "version": s.get("release") or ""} for s in meta["sources"]],
        "resources": [{
            "name": "values", "path": "values.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [{"name": f.name, "type": FRICTIONLESS_TYPES.get(str(f.type), "string"),
                                   "description": COLUMNS.get(f.name, "")} for f in schema]},
        }],
        "hss_extract": {**meta, "rows": rows, "units": units},
    }


def _csv_zip(sink, schema: pa.Schema, stream, meta: dict) -> int:
    rows = 0
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("values.csv", "w", force_zip64=True) as handle:
            writer = pacsv.CSVWriter(handle, schema)
            for batch in stream:
                writer.write_batch(_neutralised(batch))
                rows += batch.num_rows
            writer.close()
        archive.writestr("datapackage.json", json.dumps(datapackage(schema, meta, rows), indent=2,
                                                        ensure_ascii=False))
    return rows


def _safe_text(text: str) -> str:
    """One text cell neutralised by the rule of `_neutralised` (openpyxl stores text starting '=' as a formula)."""
    return f"'{text}" if re.match(FORMULA_START, text) else text


def _xlsx(sink, schema: pa.Schema, stream, meta: dict) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(schema.names)
    rows = 0
    for batch in stream:
        rows += batch.num_rows
        for row in _neutralised(batch).to_pylist():
            sheet.append(list(row.values()))
    about = book.create_sheet("metadata")
    about.append(["key", "value"])
    for key in ("title", "created_at", "build_id", "built_at", "code_version", "has_synthetic", "synthetic_note",
                "citation"):
        about.append([key, _safe_text(str(meta[key]))])  # a citation quotes the publisher's name
    about.append(["filter", json.dumps(meta["filter"])])
    for indicator in meta["indicators"]:
        about.append([f"indicator {indicator['code']}", json.dumps(indicator, ensure_ascii=False)])
    for name, text in COLUMNS.items():
        about.append([f"column {name}", text])
    book.save(sink)
    return rows


def read_metadata(path: Path) -> dict:
    """The extract metadata stored in a parquet file's key-value metadata."""
    return json.loads(pq.read_schema(path).metadata[METADATA_KEY])


def default_name(selection: Selection, fmt: str) -> str:
    """'extract_SH.IMM.IDPT_2000-2024.parquet' (several indicators: the first and a count)."""
    first = selection.indicators[0] if selection.indicators else "none"
    more = f"_and_{len(selection.indicators) - 1}_more" if len(selection.indicators) > 1 else ""
    span = f"{selection.year_from}-{selection.year_to}"
    return f"extract_{first}{more}_{span}{FORMATS[fmt]}".replace("~", "-")


def sources_of(rows: Mapping) -> list[str]:
    """Source codes named by indicator metadata rows (catalogue_by_indicator's `source_codes`)."""
    return sorted({code for row in rows for code in row["source_codes"]})
