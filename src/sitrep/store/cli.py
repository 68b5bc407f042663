"""``sitrep batch`` and ``sitrep query``: fill a situation store, and ask it questions.

``register(main)`` adds both commands to the ``sitrep`` group.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import click

from ..cliopts import handles_errors, published_option

__all__ = ["register", "batch", "query", "format_table"]

_FAILED_SQL = "SELECT source, error FROM documents WHERE status = 'error'"


def register(main: click.Group) -> None:
    """Add the store's commands to the ``sitrep`` command group."""
    main.add_command(batch)
    main.add_command(query)


def _field(name: str, what: str):
    return click.option(f"--{name}-field", f"{name}_field", metavar="F",
                        help=f"Column (CSV/TSV) or key (.jsonl) holding {what}.")


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The store file (DuckDB), created when missing; a run adds to it.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes analysing documents in parallel; each loads the models once. "
                   "With --scheduler: the workers to wait for before starting.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where documents are analysed: local processes, or a Dask cluster (docs/scaling.md).")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --engine dask: the scheduler of a running cluster, e.g. tcp://10.0.0.5:8786 "
                   "(default: start a local cluster of --workers processes).")
@published_option
@_field("text", "the text (default: text)")
@_field("id", "the document id (default: id, else the hash of the text)")
@click.option("--published-field", "--date-field", "published_field", metavar="F",
              help="Column (CSV/TSV) or key (.jsonl) holding the publication date (default: published, else date).")
@click.option("--date-format", metavar="FMT",
              help="strptime format of those dates, e.g. %m/%d/%Y for 4/5/2017 (default: ISO 8601).")
@_field("title", "the title (default: title)")
@_field("source", "the source, e.g. the outlet (default: FILE:LINE)")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of CSV/TSV files, e.g. latin-1.")
@click.option("--commit-every", type=click.IntRange(min=1), default=64, show_default=True,
              help="Documents per transaction (also committed every 2 s); a kill loses at most these.")
@handles_errors
def batch(inputs, db, workers, engine, scheduler, published, text_field, id_field, published_field, date_format,
          title_field, source_field, encoding, commit_every):
    """Analyse a corpus into a situation store; run it again to resume.

    INPUT is a file (.txt, .md, .pdf, .html), a directory (walked), a .jsonl corpus (one document
    a line) or a .csv/.tsv corpus (one document a row; pick its columns with the --*-field
    options). Documents are keyed by content hash: those already in the store are skipped, so a
    run that was interrupted, even killed, finishes where it stopped. Failed documents are stored
    with their reason and listed at the end; the exit status is then 1.

    \b
    Example:
      sitrep batch ../shared/corpora/fakes/FA-KES-Dataset.csv --db fakes.duckdb \\
        --text-field article_content --id-field unit_id --title-field article_title \\
        --published-field date --date-format %m/%d/%Y --source-field source --encoding latin-1
      sitrep batch reports/ more.jsonl --db corpus.duckdb --published 2017-09-12
      sitrep batch corpus.jsonl --db corpus.duckdb --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from ..pipeline import parse_date
    from .batch import run_batch
    from .csvinput import Fields

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler joins a Dask cluster: add --engine dask")
    fields = Fields(text=text_field, id=id_field, published=published_field, title=title_field,
                    source=source_field, date_format=date_format, encoding=encoding)
    try:
        report = run_batch(list(inputs), db=db, workers=workers, engine=engine,
                           published=parse_date(published) if published else None, fields=fields,
                           commit_every=commit_every, engine_options={"scheduler": scheduler} if scheduler else None)
    except KeyboardInterrupt:
        click.echo(f"sitrep: interrupted; every document analysed so far is in {db}; "
                   "run the same command again to finish", err=True)
        sys.exit(130)
    click.echo(report.summary(), err=True)
    for doc in report.failures:
        click.echo(f"sitrep: error: {doc.error}", err=True)
    if report.failed > len(report.failures):
        click.echo(f"sitrep: … {report.failed - len(report.failures)} more failures; list them with: "
                   f'sitrep query --db {db} "{_FAILED_SQL}"', err=True)
    sys.exit(1 if report.failed else 0)


@click.command()
@click.argument("sql")
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The store file to read (opened read-only).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="Aligned text table, CSV with a header row, or a JSON array of objects.")
@handles_errors
def query(sql, db, fmt):
    """Run SQL against a situation store, read-only, and print the rows.

    The tables are described in docs/store.md: documents, mentions, actors, places, events,
    claims, techniques, relations, event_clusters, event_cluster_members, runs.

    \b
    Example:
      sitrep query --db fakes.duckdb "SELECT a.name, count(*) AS mentions FROM actors a
        JOIN mentions m ON m.entity_id = a.id GROUP BY a.name ORDER BY mentions DESC LIMIT 10"
    """
    from .store import open_store

    with open_store(db, read_only=True) as store:
        columns, types, rows = store.iter_query(sql)
        try:
            if fmt == "table":
                click.echo(format_table(columns, list(rows)), nl=False)
            elif fmt == "csv":
                _write_csv(columns, rows)
            else:
                _write_json(columns, types, rows)
            sys.stdout.flush()
        except BrokenPipeError:  # `sitrep query ... | head`: the reader has what it wanted
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# --- output --------------------------------------------------------------------------------------

_MAX_CELL = 60


def _cell(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return f"{value:.6g}"
    text = value.isoformat(sep=" ") if isinstance(value, datetime) else str(value)
    text = " ".join(text.split()) if ("\n" in text or "\t" in text) else text
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def format_table(columns: Sequence[str], rows: Sequence[Sequence]) -> str:
    """Rows as an aligned text table: numbers right-aligned, long cells cut with an ellipsis."""
    cells = [[_cell(v) for v in row] for row in rows]
    numeric = [bool(rows) and all(isinstance(r[i], (int, float, Decimal)) and not isinstance(r[i], bool)
                                  for r in rows if r[i] is not None) for i in range(len(columns))]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: Iterable[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return "  ".join(parts).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _write_csv(columns: Sequence[str], rows: Iterator[tuple]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else _plain(v) for v in row])


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _write_json(columns: Sequence[str], types: Sequence[str], rows: Iterator[tuple]) -> None:
    is_json = [t == "JSON" for t in types]
    out = sys.stdout
    out.write("[")
    first = True
    for row in rows:
        record = {c: (json.loads(v) if j and isinstance(v, str) else _jsonable(v)) for c, v, j in zip(columns, row, is_json)}
        out.write(("\n  " if first else ",\n  ") + json.dumps(record, ensure_ascii=False, default=str))
        first = False
    out.write("]\n" if first else "\n]\n")


def _jsonable(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
