"""``sitrep export``: hand a situation store to the tools analysts already use.

``register(main)`` adds the command to the ``sitrep`` group.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..cliopts import atomic_file, handles_errors

__all__ = ["export", "register", "FORMATS"]

FORMATS = ("geojson", "graphml", "gexf", "acled-csv", "parquet", "json")


def register(main: click.Group) -> None:
    """Add ``sitrep export`` to the ``sitrep`` command group."""
    main.add_command(export)


def _day(ctx, param, value):
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2017-09-12") from None


def _bbox(ctx, param, value):
    if value is None:
        return None
    from ..errors import ConfigError
    from .select import parse_bbox

    try:
        return parse_bbox(value)
    except ConfigError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[1]) from None


@click.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The store to export (opened read-only).")
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS),
              help="geojson: places and events; graphml/gexf: the actor network; acled-csv: events in "
                   "ACLED's columns; parquet: one file per table; json: the situation model.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The file to write (parquet: a folder, one TABLE.parquet per table).")
@click.option("--since", callback=_day, metavar="YYYY-MM-DD", help="Only documents published on or after this day.")
@click.option("--until", callback=_day, metavar="YYYY-MM-DD", help="Only documents published on or before this day.")
@click.option("--actor", metavar="NAME_OR_ID", help="Only documents mentioning this actor (id, key, name or alias).")
@click.option("--place", metavar="NAME_OR_ID", help="Only documents mentioning this place (id, key or name).")
@click.option("--bbox", callback=_bbox, metavar="MINLON,MINLAT,MAXLON,MAXLAT",
              help="Only documents mentioning a place in this box; GeoJSON and ACLED keep only features in it.")
@handles_errors
def export(db, fmt, output, since, until, actor, place, bbox):
    """Export a situation store, or the documents a filter selects, for GIS, graph and data tools.

    Filters select documents (by publication date and by what they mention); each format then
    holds what those documents say. Documents without a date are left out by --since/--until.

    \b
    Examples:
      sitrep export --db fakes.duckdb --format geojson -o fakes.geojson --bbox 35.7,32.3,42.4,37.3
      sitrep export --db fakes.duckdb --format gexf -o actors.gexf --since 2016-01-01
      sitrep export --db fakes.duckdb --format parquet -o fakes-parquet/
    """
    from ..errors import ConfigError
    from ..store import open_store
    from .select import Filters, select_documents

    filters = Filters(since=since, until=until, actor=actor, place=place, bbox=bbox)
    if since and until and since > until:
        raise ConfigError(f"--since {since} is after --until {until}")
    if fmt == "parquet" and output.exists() and not output.is_dir():
        raise ConfigError(f"{output}: parquet writes one file per table; give a folder")
    if fmt != "parquet" and output.is_dir():
        raise ConfigError(f"{output}: is a folder; give a file name, e.g. {output / ('export.' + fmt.split('-')[-1])}")
    with open_store(db, read_only=True) as store:
        con = store.con
        selected = select_documents(con, filters)
        if fmt == "geojson":
            from .geojson import write_geojson

            with atomic_file(output) as fh:
                counts = write_geojson(con, fh, bbox=bbox)
        elif fmt in ("graphml", "gexf"):
            from .graph import write_graph

            with atomic_file(output, "path") as tmp:
                counts = write_graph(con, tmp, fmt)
        elif fmt == "acled-csv":
            from .acled import write_acled

            with atomic_file(output) as fh:
                counts = {"events": write_acled(con, fh)}
        elif fmt == "parquet":
            from .parquet import write_parquet

            counts = write_parquet(con, output, filtered=filters.active)
        else:
            from .json import write_json

            with atomic_file(output) as fh:
                counts = write_json(store, fh, filtered=filters.active)
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    click.echo(f"wrote {output}: {summary} (from {selected} documents)", err=True)
