"""Documentation that matches the code: every command and every setting is documented."""

from pathlib import Path

import click

from sitrep.cli import main
from sitrep.settings import SETTINGS

REPO = Path(__file__).resolve().parents[1]


def _command_paths(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,)
        if isinstance(cmd, click.Group):
            yield from _command_paths(cmd, prefix + (name,))


def test_every_command_is_documented_in_the_cli_reference():
    reference = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [" ".join(p) for p in _command_paths(main) if f"sitrep {' '.join(p)}" not in reference]
    assert not missing, f"document these in docs/cli.md: {missing}"


def test_every_setting_is_documented():
    doc = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [name for name in SETTINGS if f"`{name}`" not in doc]
    assert not missing, f"document these in docs/settings.md: {missing}"


def test_readme_names_the_two_commands_and_the_schema():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for needle in ("make demo", "make test", "situation.schema.json"):
        assert needle in readme


def test_every_direct_dependency_is_explained():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = project["dependencies"] + project["optional-dependencies"]["test"]
    doc = (REPO / "docs" / "dependencies.md").read_text(encoding="utf-8").lower()
    missing = [d.split("==")[0] for d in deps if d.split("==")[0].lower() not in doc]
    assert not missing, f"explain these in docs/dependencies.md: {missing}"
