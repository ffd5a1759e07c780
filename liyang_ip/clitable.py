"""Sub-commands as tables: each command module lists its commands (name, function, help, arguments) and
`add_commands` registers them, so the argparse wiring is written once.

    COMMANDS = (
        Command("check", _cmd_check, "validate a file", args=(
            arg("path"),
            arg("-v", "--verbose", action="store_true", help="also print info messages"),
        )),
    )
    add_commands(subparsers, COMMANDS)

Standard library only: building the parser must stay fast (`liyang-ip --help` imports no pandas).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Arg:
    """One ``add_argument`` call: its flags (or positional name) and keyword arguments."""

    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)


def arg(*flags: str, **options: Any) -> Arg:
    """``arg("--out", help=…)`` is ``parser.add_argument("--out", help=…)``."""
    return Arg(flags, options)


@dataclass(frozen=True)
class Command:
    """A sub-command: ``name``, the function run with the parsed arguments (returns the exit status), the
    one-line ``help`` shown in the parent's list, its arguments in --help order, and any further
    ``ArgumentParser`` keywords (description, epilog, formatter_class).

    ``subcommands`` makes it a group (its choice in ``NAME_command``) such as ``data`` or ``patents`` instead of a command
    with a function of its own; ``extend`` is called with the group's subparsers to add commands that
    other modules register (e.g. ``data extract``).
    """

    name: str
    func: Callable[[argparse.Namespace], int] | None
    help: str
    args: tuple[Arg, ...] = ()
    parser: dict[str, Any] = field(default_factory=dict)
    subcommands: tuple[Command, ...] = ()
    extend: tuple[Callable[[Any], None], ...] = ()


def add_commands(subparsers, commands: Iterable[Command]) -> dict[str, argparse.ArgumentParser]:
    """Register `commands` on an ``add_subparsers()`` object; returns their parsers by name."""
    parsers = {}
    for c in commands:
        p = subparsers.add_parser(c.name, help=c.help, **c.parser)
        for a in c.args:
            p.add_argument(*a.flags, **a.options)
        if c.subcommands or c.extend:
            sub = p.add_subparsers(dest=f"{c.name}_command", required=True)
            add_commands(sub, c.subcommands)
            for register in c.extend:
                register(sub)
        if c.func is not None:
            p.set_defaults(func=c.func)
        parsers[c.name] = p
    return parsers
