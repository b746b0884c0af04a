"""The README documents every CLI command and opens with the two set-up commands."""
import pathlib

import typer.main

from letopis.cli import app

README = (pathlib.Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands(group, prefix="", with_command=False):
    click_group = typer.main.get_command(group) if not hasattr(group, "commands") else group
    for name, cmd in click_group.commands.items():
        if hasattr(cmd, "commands"):
            yield from commands(cmd, f"{prefix}{name} ", with_command)
        else:
            yield (f"{prefix}{name}", cmd) if with_command else f"{prefix}{name}"


def test_docs_readme_opens_with_demo_and_test():
    head = README.split("\n## ")[0]
    assert "make demo" in head and "make test" in head


def test_docs_every_cli_command_is_in_the_readme():
    missing = [c for c in commands(app) if f"letopis {c}" not in README]
    assert not missing, f"undocumented commands: {missing}"


def test_docs_every_cli_option_is_in_the_readme():
    missing = [(name, opt) for name, cmd in commands(app, with_command=True) for p in cmd.params for opt in p.opts
               if opt.startswith("--") and opt not in README]
    assert not missing, f"undocumented options: {missing}"
