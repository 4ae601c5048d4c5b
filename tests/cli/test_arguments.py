"""Argument errors: exit status 2 and one readable line, never a traceback."""

from __future__ import annotations

import pytest

from amiable.cli import main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
        (["run", "--port", "abc"], "argument --port: not a whole number: 'abc'"),
        (["run", "--port", "70000"], "argument --port: not a port number: '70000'"),
        (["run", "--workers", "0"], "argument --workers: must be above 0: '0'"),
        (["demo", "--scale", "0"], "argument --scale: must be above 0"),
        (["demo", "--bogus"], "unrecognized arguments: --bogus"),
        (["token"], "the following arguments are required: ACTION"),
        (["token", "create"], "the following arguments are required: username"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(argv)

    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert (status, captured.out, len(lines)) == (2, "", 1)
    assert lines[0].startswith("amiable")
    assert message in lines[0]


def test_manage_without_a_command_is_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["manage"])

    assert (status, capsys.readouterr().err) == (
        1,
        "amiable: error: which command? e.g. `amiable manage migrate`\n",
    )


@pytest.mark.parametrize("argv", [["check"], ["manage", "check"]])
def test_django_commands_pass_through(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(argv)

    assert status == 0
    assert "System check identified no issues" in capsys.readouterr().out
