"""``sitrep eval ptc``: propaganda span identification on SemEval-2020 Task 11."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..cliopts import handles_errors


def register(group: click.Group) -> None:
    group.add_command(ptc)


@click.command()
@click.option("--ptc", "ptc_dir", required=True, type=click.Path(path_type=Path),
              help="The PTC folder (../shared/eval/ptc) with {split}-articles and the gold files.")
@click.option("--split", type=click.Choice(("dev", "test", "train")), default="dev", show_default=True,
              help="Gold: {split}-task-TC-template.out for dev/test, the task1-SI labels for train.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N articles (sorted by id).")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), help="Override the model's tagging threshold.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@handles_errors
def ptc(ptc_dir, split, limit, threshold, fmt):
    """Span identification: the task's SI precision, recall and F1 (overlapping spans merged).

    \b
    Example:
      sitrep eval ptc --ptc ../shared/eval/ptc --split dev
    """
    from ..extract.techniques import load_model, predict_spans
    from .ptc import evaluate_ptc

    model = load_model()

    def predict(text: str):
        return [(s, e) for s, e, _ in predict_spans(text, model=model, threshold=threshold)]

    result = evaluate_ptc(ptc_dir, split=split, predict=predict, limit=limit)
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo("  ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()))
