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
    group.add_command(event_location)
    group.add_command(claims)
    group.add_command(fusion)


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


@click.command("event-location")
@click.option("--data", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="labeled_text.jsonl of the event-location corpus (../shared/eval/event_location/).")
@click.option("--split", type=click.Choice(("dev", "train")), default="dev", show_default=True,
              help="Our hash split of the sentences; the place model is fitted on train only.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N sentences of the split.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@handles_errors
def event_location(data, split, limit, fmt):
    """Choosing an event's place: accuracy over sentences where some candidate place is right.

    \b
    Example:
      sitrep eval event-location --data ../shared/eval/event_location/labeled_text.jsonl --split dev
    """
    from .event_location import evaluate_event_location

    _print([evaluate_event_location(data, split=split, limit=limit)], fmt)


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


@click.command()
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A claims gold JSONL file; default: the annotated set shipped with sitrep.")
@click.option("--split", type=click.Choice(("dev", "test", "all")), default="dev", show_default=True,
              help="Our fixed hash split of the paragraphs (a third is test); rules are tuned on dev only.")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Also time the claim extractor against nlp.pipe on this corpus (FA-KES-Dataset.csv).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="Documents of --corpus to time.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@handles_errors
def claims(data, split, corpus, limit, fmt):
    """Claim attribution: speaker accuracy, cue recall, kind and certainty accuracy, span P/R.

    With --corpus, also the extractor's cost as a fraction of spaCy nlp.pipe time.

    \b
    Example:
      sitrep eval claims --split dev
      sitrep eval claims --split dev --corpus ../shared/corpora/fakes/FA-KES-Dataset.csv --limit 50
    """
    from .claims import GOLD, evaluate_claims, measure_cost

    rows = [evaluate_claims(data or GOLD, split=split)]
    if corpus is not None:
        rows.append(measure_cost(corpus, limit=limit))
    _print(rows, fmt)


@click.command()
@click.option("--shared", type=click.Path(path_type=Path), envvar="SITREP_SHARED", default="../shared",
              show_default=True, help="The shared data folder holding corpora/fakes and corpora/guardian_sdf.")
@click.option("--split", type=click.Choice(("dev", "test", "all")), default="dev", show_default=True,
              help="Our fixed hash split of the labelled pairs (fusion rules are tuned on dev only); all: each "
                   "split. Score test once per change of the rules, not while tuning.")
@click.option("--labelled-only", is_flag=True,
              help="Analyse only the documents the labels name (fast, but the clusters miss the corpus's other links).")
@click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Score the clusters of this store (built by sitrep batch) instead of rebuilding them.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@handles_errors
def fusion(shared, split, labelled_only, db, fmt):
    """Cross-document fusion: pairwise precision, recall and F1 of "same cluster" on hand-labelled
    event pairs from FA-KES and the Guardian sample.

    Rebuilds the events of both corpora with the current pipeline (a few minutes), fuses them,
    and checks each labelled pair.

    \b
    Example:
      sitrep eval fusion --shared ../shared --split dev
      sitrep eval fusion --shared ../shared --labelled-only --format json
    """
    from .fusion import evaluate_fusion

    _print(evaluate_fusion(Path(shared), split=split, labelled_only=labelled_only,
                           db=str(db) if db else None), fmt)
