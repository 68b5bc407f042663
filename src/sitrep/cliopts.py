"""Option decorators and helpers shared by every ``sitrep`` command (one place, one behaviour)."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable

import click

from .errors import ConfigError, SitrepError

FORMATS = ("json", "text", "jsonl")


def published_option(f: Callable) -> Callable:
    return click.option(
        "--published",
        metavar="YYYY-MM-DD",
        help="Publication date for documents that carry none; relative dates resolve against it.",
    )(f)


def output_options(formats: Iterable[str] = FORMATS, default: str = "json") -> Callable:
    def decorate(f: Callable) -> Callable:
        f = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, writable=True, path_type=Path),
            help="Write to this file instead of standard output.",
        )(f)
        f = click.option(
            "--format",
            "fmt",
            type=click.Choice(tuple(formats)),
            default=default,
            show_default=True,
            help="Output format.",
        )(f)
        return f

    return decorate


def handles_errors(f: Callable) -> Callable:
    """Turn SitrepErrors into one-line messages and the right exit status."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from None
        except SitrepError as exc:
            click.echo(f"sitrep: error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def write_output(text: str, output: Path | None) -> None:
    """Write atomically to ``output`` (a reader never sees half a file), or to stdout."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_file(path: Path, mode: str = "w"):
    """A file beside ``path`` that replaces it only when writing succeeded (no half-written outputs).

    Yields an open text file, or with ``mode="path"`` the temporary path for writers that open it
    themselves."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # created by open(), not mkstemp, so the file gets the usual permissions (the umask's)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        if mode == "path":
            yield tmp
        else:
            with open(tmp, "x", encoding="utf-8", newline="") as fh:
                yield fh
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def report_failures(documents) -> int:
    failed = [d for d in documents if not d.ok]
    for d in failed:
        click.echo(f"sitrep: error: {d.error}", err=True)
    return 1 if failed else 0




def input_documents(inputs, *, samples: bool, published: str | None, alternatives: str = ""):
    """The documents named on the command line: files, folders, ``-``, plus the bundled samples
    (with their own publication dates) when ``--samples`` is given. Streams; reads nothing yet."""
    import itertools

    from .ingest import read_inputs
    from .pipeline import parse_date

    if not inputs and not samples:
        raise click.UsageError(f"give at least one INPUT (a file, a directory, or -){alternatives}, or --samples")
    documents = read_inputs(list(inputs), published=parse_date(published) if published else None)
    if samples:
        from .samples import documents as sample_documents

        documents = itertools.chain(documents, sample_documents())
    return documents
