"""Extract page views: the selection from the page's controls, reading snippets and the size estimate."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.extract import FORMATS, Selection

BYTES_PER_ROW = {"parquet": 12, "csv": 160, "xlsx": 110}  # measured on demo extracts; zstd parquet is compact


def selection(indicators: pd.DataFrame, *, codes: Sequence[str], blocks: Sequence[str], countries: Sequence[str],
              who_regions: Sequence[str], income_groups: Sequence[str], years: tuple[int, int],
              dimensions: Sequence[str], subnational: bool, domains: Sequence[str] = (),
              wb_regions: Sequence[str] = (), subgroups: Sequence[str] = ()) -> Selection:
    """The extract a page's controls describe: the chosen indicators plus every indicator of the chosen
    building blocks and domains (in catalogue order, each once). `indicators` is indicators/catalogue_by_indicator."""
    wanted = indicators["building_block"].isin(list(blocks)) | indicators["domain"].isin(list(domains))
    chosen = list(dict.fromkeys([*codes, *indicators.loc[wanted, "indicator_code"]]))
    return Selection(indicators=tuple(chosen), countries=tuple(countries), who_regions=tuple(who_regions),
                     income_groups=tuple(income_groups), year_from=int(years[0]), year_to=int(years[1]),
                     dimensions=tuple(dimensions), subnational=bool(subnational), wb_regions=tuple(wb_regions),
                     subgroups=tuple(subgroups))


def domain_choices(indicators: pd.DataFrame) -> list[str]:
    """The catalogue's domains (coverage, quality, outcome ...), by name."""
    return sorted(indicators["domain"].dropna().unique())


def subgroup_choices(subgroups: pd.DataFrame, dimensions: Sequence[str]) -> list[str]:
    """The subgroups of the chosen dimensions (all dimensions when none is chosen), each once, in order.
    `subgroups` is extract/subgroups_by_dimension."""
    rows = subgroups if not dimensions else subgroups[subgroups["dimension"].isin(list(dimensions))]
    return list(dict.fromkeys(rows["subgroup"]))


def dimension_choices(indicators: pd.DataFrame) -> list[str]:
    """'Total' (the national value) then every dimension any indicator is disaggregated by, by name."""
    return ["Total", *sorted({d for dims in indicators["dimensions"] for d in dims} - {"Total"})]


def size_text(rows: int, fmt: str) -> str:
    """'about 1.2 MB': the estimated file size of an extract of `rows` rows in `fmt`."""
    size = rows * BYTES_PER_ROW[fmt] + 2_000
    for unit, factor in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= factor:
            return f"about {size / factor:,.1f} {unit}"
    return f"about {size:,} bytes"


def snippets(file_name: str) -> dict[str, str]:
    """Code that reads the downloaded file back (Python with DuckDB or pandas, R with arrow, SQL)."""
    parquet = file_name if file_name.endswith(FORMATS["parquet"]) else "extract.parquet"
    return {
        "Python (DuckDB)": (f'import duckdb\n\nvalues = duckdb.sql("select * from \'{parquet}\'").df()\n'
                            f'# the metadata: definitions, units, sources, licences, filter, build\n'
                            f'import json, pyarrow.parquet as pq\n'
                            f'meta = json.loads(pq.read_schema("{parquet}").metadata[b"hss_extract"])'),
        "Python (pandas)": f'import pandas as pd\n\nvalues = pd.read_parquet("{parquet}")',
        "R (arrow)": f'library(arrow)\n\nvalues <- read_parquet("{parquet}")',
        "SQL (DuckDB)": (f"select indicator_code, iso3, year, estimate\nfrom '{parquet}'\n"
                         "where dimension = 'Total'\norder by indicator_code, iso3, year;"),
    }
