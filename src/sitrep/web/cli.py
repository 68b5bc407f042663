"""``sitrep report`` (documents or a saved model in, one HTML file out) and ``sitrep serve`` (a store, browsed)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..cliopts import handles_errors, published_option, report_failures, write_output
from ..errors import ConfigError


def register(main_group: click.Group) -> None:
    """Add ``report`` and ``serve`` to the ``sitrep`` command group."""
    main_group.add_command(report)
    main_group.add_command(serve)


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

    from ..cliopts import input_documents
    from ..pipeline import Resources, build_situation, process

    documents = input_documents(inputs, samples=samples, published=published, alternatives=", --situation FILE")
    resources = Resources.load()
    situation = build_situation(process(documents, resources=resources), resources=resources)
    data = situation.to_dict()
    write_output(render_report(data, title=title), output)
    click.echo(
        f"wrote {output}: {len(data['documents'])} documents, {len(data['actors'])} actors, "
        f"{len(data['places'])} places, {len(data['events'])} events",
        err=True,
    )
    sys.exit(report_failures(situation.documents))


@click.command()
@click.option(
    "--db",
    "db",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The store to browse (made by `sitrep batch`); it is opened read-only.",
)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default answers this machine only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@handles_errors
def serve(db, host, port):
    """Browse a situation store in the web browser: corpus search, documents, map, timeline, network.

    The store is opened read-only for as long as the app runs (a batch cannot write to it
    meanwhile). The app answers requests addressed to HOST and to loopback names only.

    \b
    Example:
      sitrep batch corpus.jsonl --db corpus.duckdb
      sitrep serve --db corpus.duckdb --port 8000      # then open http://127.0.0.1:8000/
    """
    try:
        import uvicorn
    except ImportError:
        raise ConfigError("serve: needs uvicorn and fastapi; pip install 'sitrep[serve]'") from None
    from .app import LOOPBACK_HOSTS, create_app

    hosts = tuple(dict.fromkeys([*LOOPBACK_HOSTS, host if ":" not in host else f"[{host}]"]))
    if host in ("0.0.0.0", "::"):
        click.echo(f"serve: listening on all interfaces ({host}); anyone who can reach this machine can read the store", err=True)
        hosts = ("*",)
    app = create_app(db, allowed_hosts=hosts)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"serving {db} (read-only) at http://{shown}:{port}/  (Ctrl-C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
