"""liyang_ip.clitable: sub-command tables become the argparse parsers they describe."""

from __future__ import annotations

import argparse

import pytest

from liyang_ip.clitable import Command, add_commands, arg


def _parser(commands) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tool")
    add_commands(p.add_subparsers(dest="command", required=True), commands)
    return p


def test_a_command_gets_its_arguments_in_order_and_its_function() -> None:
    def go(args):
        return 3

    p = _parser([Command("go", go, "do it", args=(
        arg("path"), arg("-n", "--count", type=int, default=2), arg("--beta"), arg("--alpha")))])
    args = p.parse_args(["go", "x", "--count", "5"])
    assert (args.command, args.path, args.count, args.func(args)) == ("go", "x", 5, 3)
    assert p.parse_args(["go", "y"]).count == 2
    text = p._subparsers._group_actions[0].choices["go"].format_help()
    assert text.index("--beta") < text.index("--alpha")  # the table's order, not sorted
    assert "do it" in p.format_help()


def test_a_group_requires_one_of_its_commands_and_takes_commands_from_other_modules(capsys) -> None:
    def extra(sub):
        sub.add_parser("extra", help="added by another module").set_defaults(func=lambda a: 7)

    p = _parser([Command("grp", None, "a group", subcommands=(Command("one", lambda a: 1, "first"),),
                         extend=(extra,))])
    one = p.parse_args(["grp", "one"])
    assert (one.grp_command, one.func(one)) == ("one", 1)
    more = p.parse_args(["grp", "extra"])
    assert (more.grp_command, more.func(more)) == ("extra", 7)
    with pytest.raises(SystemExit) as e:
        p.parse_args(["grp"])
    assert e.value.code == 2
    assert "grp_command" in capsys.readouterr().err  # argparse names the missing choice


def test_parser_keywords_reach_the_sub_parser() -> None:
    p = _parser([Command("x", lambda a: 0, "short", parser=dict(description="LONG TEXT", epilog="EXAMPLES"))])
    text = p._subparsers._group_actions[0].choices["x"].format_help()
    assert "LONG TEXT" in text and "EXAMPLES" in text
