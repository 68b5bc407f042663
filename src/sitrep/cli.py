"""The ``sitrep`` command line: a thin layer over the library.

Exit status: 0 when every document was analysed, 1 when any document failed (the others are
still written), 2 for usage errors.
"""

from __future__ import annotations

import json
import sys

import click

from . import __version__
from .cliopts import (
    FORMATS,
    handles_errors,
    input_documents,
    output_options,
    published_option,
    report_failures,
    write_output,
)
from .errors import ConfigError

# ``analyze`` also writes the event exports (docs/cli.md): ACLED's CSV columns, PLOVER JSON Lines.
EVENT_FORMATS = ("acled-csv", "plover-json")
ANALYZE_FORMATS = FORMATS + EVENT_FORMATS

# --- commands -----------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitrep")
def main() -> None:
    """Turn reporting on armed conflict into a situation model: actors, places, and their evidence.

    \b
    Example:
      sitrep analyze report.pdf --published 2017-09-12 --format text
    """


@main.command()
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@click.option("--samples", is_flag=True, help="Also analyse the sample documents bundled with sitrep.")
@published_option
@output_options(ANALYZE_FORMATS)
@handles_errors
def analyze(inputs, samples, published, fmt, output):
    """Analyse documents into one situation model.

    INPUT is a .txt, .pdf, .html/.htm or .jsonl file, a directory (walked), or - for stdin.
    A .jsonl line is one document: {"id", "text", "published"?, "title"?, "source"?}.

    \b
    Examples:
      sitrep analyze report.txt --published 2017-09-12
      sitrep analyze reports/ --format text
      sitrep analyze --samples -o out/situation.json
      cat article.txt | sitrep analyze - --format jsonl
      sitrep analyze reports/ --format acled-csv -o events.csv
      sitrep analyze reports/ --format plover-json -o events.jsonl
    """
    from .pipeline import Resources, build_situation, process

    documents = input_documents(inputs, samples=samples, published=published)
    resources = Resources.load()
    results = process(_progress(documents), resources=resources)

    if fmt == "jsonl":
        docs = []
        lines = []
        for result in results:
            docs.append(result.document)
            line = json.dumps(build_situation([result], resources=resources).to_dict(), ensure_ascii=False)
            if output is None:
                click.echo(line)
            else:
                lines.append(line)
        if output is not None:
            write_output("\n".join(lines) + "\n", output)
        sys.exit(report_failures(docs))

    situation = build_situation(results, resources=resources)
    if fmt in EVENT_FORMATS:
        text, written = _event_export(situation, fmt)
        write_output(text, output)
        if output is not None:
            click.echo(f"wrote {output}: {written} of {len(situation.events)} events", err=True)
        sys.exit(report_failures(situation.documents))
    data = situation.to_dict()
    if fmt == "json":
        write_output(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output)
    else:
        from .export.text import render

        write_output(render(data), output)
    if output is not None:
        click.echo(
            f"wrote {output}: {len(data['documents'])} documents, {len(data['actors'])} actors, "
            f"{len(data['places'])} places",
            err=True,
        )
    sys.exit(report_failures(situation.documents))


def _event_export(situation, fmt: str) -> tuple[str, int]:
    """The export's text and how many events it holds (ACLED codes only its own kinds)."""
    import io

    buf = io.StringIO()
    if fmt == "acled-csv":
        from .export.acled import write_acled_situation

        written = write_acled_situation(situation, buf)
    else:
        from .export.plover import write_plover_situation

        written = write_plover_situation(situation, buf)
    return buf.getvalue(), written


def _progress(documents):
    """Show a progress line on an interactive terminal; stay quiet in pipes and CI logs."""
    if not sys.stderr.isatty():
        yield from documents
        return
    from tqdm import tqdm

    yield from tqdm(documents, desc="analysing", unit="doc", file=sys.stderr, leave=False)


@main.command()
@click.argument("situation_file", type=click.File("r", encoding="utf-8"), metavar="SITUATION.json")
@handles_errors
def show(situation_file):
    """Print the readable summary of a saved situation model.

    \b
    Example:
      sitrep analyze --samples -o out/situation.json && sitrep show out/situation.json
    """
    from .export.text import render

    try:
        data = json.load(situation_file)
        text = render(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"{situation_file.name}: not a sitrep situation model ({type(exc).__name__}: {exc}); "
            "make one with `sitrep analyze ... --format json`"
        ) from None
    click.echo(text, nl=False)


@main.command()
@handles_errors
def schema():
    """Print the JSON Schema of the situation model (the published contract).

    \b
    Example:
      sitrep schema > situation.schema.json
    """
    from .schema import situation_schema

    click.echo(json.dumps(situation_schema(), indent=2))


@main.group(name="eval")
def eval_group():
    """Run a benchmark against published gold data.

    \b
    Example:
      sitrep eval geo --corpus ../shared/eval/geoparsing
    """


# Commands that belong to a stage live beside its code and register themselves here.
from .evaluate.cli import register as _register_eval  # noqa: E402
from .evaluate.ptc_cli import register as _register_ptc  # noqa: E402
from .export.cli import register as _register_export  # noqa: E402
from .extract.explain import register as _register_explain  # noqa: E402
from .registry.cli import register as _register_gazetteer  # noqa: E402
from .store.cli import register as _register_store  # noqa: E402
from .web.cli import register as _register_web  # noqa: E402

_register_eval(eval_group)
_register_ptc(eval_group)
_register_store(main)
_register_export(main)
_register_explain(main)
_register_gazetteer(main)
_register_web(main)


if __name__ == "__main__":  # pragma: no cover
    main()
