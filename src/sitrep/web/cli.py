"""The ``sitrep report`` command: documents (or a saved situation model) in, one HTML file out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..cliopts import handles_errors, published_option, report_failures, write_output
from ..errors import ConfigError


def register(main_group: click.Group) -> None:
    """Add ``report`` to the ``sitrep`` command group."""
    main_group.add_command(report)


@click.command()
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@click.option("--samples", is_flag=True, help="Also analyse the sample documents bundled with sitrep.")
@click.option(
    "--situation",
    "situation_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Draw a situation model saved by `sitrep analyze --format json` instead of analysing INPUTs.",
)
@click.option("--title", help="Title shown at the top of the report.  [default: sitrep report]")
@published_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="The HTML file to write.",
)
@handles_errors
def report(inputs, samples, situation_file, title, published, output):
    """Write one self-contained HTML report: document view, map, timeline and actor network.

    INPUT is a .txt, .pdf, .html/.htm or .jsonl file, a directory (walked), or - for stdin;
    the documents are analysed on the fly. The report opens offline in any browser: scripts,
    styles, the basemap and the data are all inside the file.

    \b
    Examples:
      sitrep report reports/ --published 2017-09-12 -o report.html
      sitrep report --samples -o out/report.html
      sitrep analyze --samples -o out/situation.json && sitrep report --situation out/situation.json
    """
    from .report import render_report

    if situation_file is not None:
        if inputs or samples or published:
            raise click.UsageError("--situation draws a saved model; it takes no INPUT, --samples or --published")
        try:
            data = json.loads(situation_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ConfigError(f"{situation_file}: cannot read a situation model ({type(exc).__name__}: {exc})") from None
        html = render_report(data, title=title)
        write_output(html, output)
        click.echo(f"wrote {output}: {len(data.get('documents', []))} documents", err=True)
        return

    from ..ingest import read_inputs
    from ..pipeline import Resources, build_situation, parse_date, process

    paths = list(inputs)
    if samples:
        from ..samples import paths as sample_paths

        paths += [str(p) for p in sample_paths()]
    if not paths:
        raise click.UsageError("give at least one INPUT (a file, a directory, or -), --samples, or --situation")
    when = parse_date(published) if published else None
    resources = Resources.load()
    situation = build_situation(process(read_inputs(paths, published=when), resources=resources), resources=resources)
    data = situation.to_dict()
    write_output(render_report(data, title=title), output)
    click.echo(
        f"wrote {output}: {len(data['documents'])} documents, {len(data['actors'])} actors, "
        f"{len(data['places'])} places, {len(data['events'])} events",
        err=True,
    )
    sys.exit(report_failures(situation.documents))
