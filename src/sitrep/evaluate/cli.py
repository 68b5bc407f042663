"""``sitrep eval …`` commands; each calls the benchmark function beside it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..cliopts import handles_errors

GEO_FILES = {"tr-news": "TR-News.xml", "gwn": "GWN.xml", "lgl": "lgl.xml", "geovirus": "GeoVirus.xml"}


def _print(rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo("  ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()))


def register(group: click.Group) -> None:
    group.add_command(geo)
    group.add_command(speed)
    group.add_command(plover)
    group.add_command(acled)


def _geo_targets(corpus: Path, datasets: tuple[str, ...]) -> list[tuple[str, Path]]:
    from ..errors import EvaluationError

    if corpus.is_file():
        return [(corpus.stem, corpus)]
    if not corpus.is_dir():
        raise EvaluationError(f"{corpus}: no such file or folder; point --corpus at shared/eval/geoparsing")
    names = datasets or tuple(GEO_FILES)
    targets = [(n, corpus / GEO_FILES[n]) for n in names if (corpus / GEO_FILES[n]).is_file()]
    if not targets:
        raise EvaluationError(f"{corpus}: none of {', '.join(GEO_FILES.values())} found there")
    return targets


@click.command()
@click.option(
    "--corpus",
    required=True,
    type=click.Path(path_type=Path),
    help="A geoparsing gold file (TR-News.xml, GWN.xml, lgl.xml, GeoVirus.xml) or the folder holding them.",
)
@click.option("--dataset", "datasets", multiple=True, type=click.Choice(tuple(GEO_FILES)), help="Only these corpora (repeatable).")
@click.option("--mode", type=click.Choice(("gold", "e2e", "both")), default="both", show_default=True,
              help="gold: resolve the gold toponym spans; e2e: find and resolve toponyms ourselves.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N articles of each corpus.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@handles_errors
def geo(corpus, datasets, mode, limit, fmt):
    """Toponym resolution: recall, acc@161km, median error and AUC of error (Gritta et al.).

    \b
    Example:
      sitrep eval geo --corpus ../shared/eval/geoparsing --dataset tr-news --mode gold
    """
    from .geo import evaluate_geo

    modes = ("gold", "e2e") if mode == "both" else (mode,)
    results = []
    for name, path in _geo_targets(corpus, datasets):
        for m in modes:
            scores = evaluate_geo(path, mode=m, limit=limit)
            results.append({"corpus": name, "mode": m, **scores})
    _print(results, fmt)


@click.command()
@click.option("--corpus", required=True, type=click.Path(path_type=Path),
              help="A CSV corpus sitrep knows (FA-KES-Dataset.csv, Guardian_SDF_sample.csv) or a JSONL file.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N documents.")
@click.option("--rounds", type=click.IntRange(min=1), default=2, show_default=True,
              help="Alternating timed rounds per side; the best of each side is kept.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@handles_errors
def speed(corpus, limit, rounds, fmt):
    """Throughput: sitrep analysis against plain spaCy nlp.pipe on the same texts, as a ratio.

    \b
    Example:
      sitrep eval speed --corpus ../shared/corpora/fakes/FA-KES-Dataset.csv --limit 200
    """
    from .speed import evaluate_speed

    _print([evaluate_speed(corpus, limit=limit, rounds=rounds)], fmt)


@click.command()
@click.option("--data", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="PLOVER_GSR_CAMEO.txt from the PLOVER repository (../shared/eval/plover/).")
@click.option("--split", type=click.Choice(("dev", "test", "all")), default="test", show_default=True,
              help="Our fixed hash split of the gold sentences; rules are tuned on dev only.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@handles_errors
def plover(data, split, fmt):
    """Event-type classification: macro-F1 and accuracy over the 16 PLOVER types.

    \b
    Example:
      sitrep eval plover --data ../shared/eval/plover/PLOVER_GSR_CAMEO.txt --split test
    """
    from .plover import evaluate_plover

    result = evaluate_plover(data, split=split)
    if fmt == "json":
        _print([result], fmt)
        return
    per_type = result.pop("per_type", {})
    _print([result], fmt)
    for name, scores in sorted(per_type.items()):
        _print([{"type": name, **scores}] if isinstance(scores, dict) else [{"type": name, "f1": scores}], fmt)


@click.command()
@click.option("--data", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An ACLED CSV export (../shared/eval/acled/acled_syria_battles_2017_2023.csv).")
@click.option("--split", type=click.Choice(("dev", "test", "train")), default="dev", show_default=True,
              help="dev = event_date in 2017-09, test = 2017-10, train = every other month.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N rows of the split.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@handles_errors
def acled(data, split, limit, fmt):
    """Events against ACLED's coding: location@25km, fatalities, actor dyad, sub-event type.

    Each row's notes is one document published on its event_date.

    \b
    Example:
      sitrep eval acled --data ../shared/eval/acled/acled_syria_battles_2017_2023.csv --split dev --limit 200
    """
    from .acled import evaluate_acled

    _print([evaluate_acled(data, split=split, limit=limit)], fmt)
