"""``sitrep gazetteer``: add your own places, and see what a name resolves to.

``register(main)`` adds the group to the ``sitrep`` command group.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..cliopts import atomic_file, handles_errors
from ..model import PLACE_FEATURES

__all__ = ["register", "gazetteer_group"]


def register(main: click.Group) -> None:
    """Add ``sitrep gazetteer`` to the ``sitrep`` command group."""
    main.add_command(gazetteer_group)


@click.group(name="gazetteer")
def gazetteer_group() -> None:
    """Extend and inspect the place gazetteer.

    The shipped gazetteer holds GeoNames places of 500 people and more, admin areas and curated
    conflict sites. Villages, subdistricts and city quarters below that come from your own lists:
    import them once, then name the file in SITREP_GAZETTEER_EXTRA.

    Example:

        sitrep gazetteer lookup Hajin
    """


@gazetteer_group.command(name="import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The JSON-lines place file to write (replaced atomically).")
@click.option("--feature", required=True, type=click.Choice(PLACE_FEATURES), metavar="FEATURE",
              help="What the places are: village, town, neighbourhood, admin3 (subdistrict), admin2, …")
@click.option("--format", "fmt", type=click.Choice(["shapefile", "geojson", "csv"]),
              help="Input format (default: from the suffix: .shp, .geojson/.json, .csv/.tsv).")
@click.option("--name-field", metavar="F", help="Field with the Latin-script name (default: NAME_EN, name, …).")
@click.option("--alt-field", "alt_fields", multiple=True, metavar="F",
              help="Field with another spelling; repeat for several.")
@click.option("--key-field", metavar="F", help="Field with a stable identifier such as a P-code (default: PCODE, id, …; else the row number).")
@click.option("--namespace", metavar="NAME", help="Middle part of every key, usr:NAME:ID (default: the file's name).")
@click.option("--country", metavar="ISO3", help="Country of every place, e.g. SYR (enables province and focus checks).")
@click.option("--admin1-field", metavar="F", help="Field with the province name (with --country).")
@click.option("--lat-field", metavar="F", help="Latitude field (default: LATITUDE, lat, …; shapes use their geometry).")
@click.option("--lon-field", metavar="F", help="Longitude field (default: LONGITUDE, lon, lng, …).")
@click.option("--population-field", metavar="F", help="Field with a population count.")
@handles_errors
def import_cmd(source, output, feature, fmt, name_field, alt_fields, key_field, namespace, country, admin1_field,
               lat_field, lon_field, population_field):
    """Convert a shapefile, GeoJSON or CSV place list into a gazetteer file.

    Polygons become the centroid of their largest part. The output is read when its path is
    in SITREP_GAZETTEER_EXTRA; import each file once and keep its keys stable.

    Example:

        sitrep gazetteer import syr_admin3.shp --feature admin3 --country SYR \\
            --admin1-field ADM1_EN -o ~/places/syr_admin3.jsonl
        export SITREP_GAZETTEER_EXTRA=~/places/syr_admin3.jsonl
    """
    from .gazetteer import load_gazetteer
    from .places_import import import_places

    records = import_places(source, feature=feature, gazetteer=load_gazetteer(), fmt=fmt, name_field=name_field,
                            alt_fields=alt_fields, key_field=key_field, namespace=namespace, country=country,
                            admin1_field=admin1_field, lat_field=lat_field, lon_field=lon_field,
                            population_field=population_field)
    n = 0
    with atomic_file(output) as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    click.echo(f"{n} places written to {output}; add it to SITREP_GAZETTEER_EXTRA to use them", err=True)


@gazetteer_group.command()
@click.argument("name")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Most candidates shown.")
@handles_errors
def lookup(name, limit):
    """Show the gazetteer entries a place name can refer to, best known first.

    Your own places (SITREP_GAZETTEER_EXTRA) are included; their keys start with usr:.

    Example:

        sitrep gazetteer lookup "Deir ez-Zor"
    """
    from .gazetteer import load_gazetteer

    found = load_gazetteer().lookup(name)
    found.sort(key=lambda t: (not t[1], -t[0].population))
    if not found:
        click.echo(f"no gazetteer entry for {name!r}", err=True)
        raise SystemExit(1)
    for entry, exact in found[:limit]:
        where = ", ".join(x for x in (entry.admin1, entry.country) if x)
        click.echo(f"{entry.key}\t{entry.name}\t{entry.feature}\t{entry.lat:.4f},{entry.lon:.4f}\t{where}\t"
                   f"{'exact' if exact else 'loose'}")
