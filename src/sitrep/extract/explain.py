"""``sitrep explain EVENT_ID INPUT...``: retrace one event from its trigger word to its record.

The event is found by re-analysing its documents (ids are content-derived, so the same input
gives the same id); we print the evidence, the trigger, every argument with its name, and the
rules and models that fired, one per line.
"""

from __future__ import annotations

import click

from ..cliopts import handles_errors, input_documents, published_option


def explain_lines(event, situation) -> list[str]:
    """Human-readable lines that explain ``event`` (an :class:`~sitrep.model.Event`)."""
    actors = {a.id: a.name for a in situation.actors}
    places = {p.id: p.name for p in situation.places}

    def actor(ident):
        if ident is None:
            return "-"
        return f"{actors.get(ident, ident)} ({ident})" if ident.startswith("actor-") else ident

    acled = " / ".join(x for x in (event.acled_event_type, event.acled_sub_event_type) if x) or "-"
    place = "-"
    if event.place is not None:
        place = f"{places.get(event.place, event.place)} ({event.place})"
        if event.place_qualifier:
            place += f", {event.place_qualifier}"
    d = event.date
    when = "unknown" if d.precision == "unknown" else f"{d.start} .. {d.end} ({d.precision})"
    if d.text:
        when += f' from "{d.text}"'
    deaths = "-" if event.fatalities is None else str(event.fatalities)
    extra = ", ".join(x for x in (event.fatalities_qualifier, event.fatalities_side) if x)
    if extra:
        deaths += f" ({extra})"
    ev, tr = event.evidence, event.trigger
    lines = [
        f"event      {event.id}",
        f"type       {event.type}" + (f" ({event.mode})" if event.mode else ""),
        f"acled      {acled}",
        f'evidence   {ev.doc} [{ev.start}:{ev.end}] "{ev.text}"',
        f'trigger    [{tr.start}:{tr.end}] "{tr.text}"',
        f"actor1     {actor(event.actor1)}",
        f"actor2     {actor(event.actor2)}",
    ]
    if event.associated_actors:
        lines.append("associated " + "; ".join(actor(a) for a in event.associated_actors))
    lines += [
        f"place      {place}",
        f"date       {when}",
        f"fatalities {deaths}",
        f"modality   {event.modality}" + (f", source {actor(event.source)}" if event.source else ""),
    ]
    for i, rule in enumerate(r.strip() for r in event.rule.split(";")):
        lines.append(("rules      " if i == 0 else "           ") + rule)
    return lines


@click.command()
@click.argument("event_id")
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@published_option
@handles_errors
def explain(event_id, inputs, published):
    """Explain one event: its evidence, trigger, arguments and the rules that fired.

    Give the same INPUT (and --published) the event was found in; ids are content-derived.

    \b
    Example:
      sitrep explain event-d20fcef72a90ed27 report.txt --published 2017-10-02
    """
    from ..errors import ConfigError
    from ..pipeline import Resources, build_situation, process

    documents = input_documents(inputs, samples=False, published=published)
    resources = Resources.load()
    situation = build_situation(process(documents, resources=resources), resources=resources)
    for event in situation.events:
        if event.id == event_id:
            click.echo("\n".join(explain_lines(event, situation)))
            return
    raise ConfigError(f"{event_id}: no such event in these documents; list ids with sitrep analyze --format json")


def register(group: click.Group) -> None:
    group.add_command(explain)
