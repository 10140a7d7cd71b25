"""`purei finder`: asks interactively, or takes --place and --specialisation."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from purei import cli


def _run(*args: str, stdin: str | None = None) -> str:
    out = StringIO()
    options: dict[str, object] = {"stdout": out, "no_color": True}
    if stdin is not None:
        options["stdin"] = StringIO(stdin)
    call_command("finder", *args, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("place", "specialisation", "title", "apply_query"),
    [
        (
            "yes",
            "yes",
            "A Traditional cluster",
            "type=traditional&shared_place=yes&shared_specialisation=yes",
        ),
        (
            "no",
            "yes",
            "A Virtual cluster",
            "type=virtual&shared_place=no&shared_specialisation=yes",
        ),
        (
            "yes",
            "no",
            "A Local cluster",
            "type=local&shared_place=yes&shared_specialisation=no",
        ),
    ],
)
def test_flags_answer_at_once(
    settings, place: str, specialisation: str, title: str, apply_query: str
):
    # given
    settings.SITE_URL = "https://purei.example.nz"
    # when
    output = _run("--place", place, "--specialisation", specialisation)
    # then
    assert output.startswith(title)
    assert "You share" in output
    assert f"https://purei.example.nz/apply/?{apply_query}" in output
    assert "[y/n]" not in output


def test_neither_is_not_a_cluster_yet_and_has_no_apply_link():
    # when
    output = _run("--place", "no", "--specialisation", "no")
    # then
    assert output.startswith("Not a cluster yet")
    assert "What would make it one:" in output
    assert "/apply/" not in output


def test_flags_take_y_and_n_in_any_case():
    # when
    output = _run("--place", "Y", "--specialisation", "N")
    # then
    assert output.startswith("A Local cluster")


@pytest.mark.parametrize(
    "args",
    [
        ("--place", "maybe", "--specialisation", "no"),
        ("--place", "yes", "--specialisation", "1"),
        ("--place", ""),
    ],
)
def test_a_bad_flag_value_is_a_clear_error(args: tuple[str, ...]):
    # when
    with pytest.raises(CommandError) as caught:
        _run(*args)
    # then
    assert "expected yes or no" in str(caught.value)


def test_a_bad_flag_value_exits_non_zero_from_the_purei_command(capsys):
    # when
    with pytest.raises(SystemExit) as caught:
        cli.main(["finder", "--place", "maybe"])
    # then
    assert caught.value.code != 0
    assert "expected yes or no" in capsys.readouterr().err


def test_asks_each_question_when_no_flags_are_given():
    # when
    output = _run(stdin="y\nn\n")
    # then
    assert "Do your businesses share one place?" in output
    assert "Do they also share one specialisation?" in output
    assert output.count("[y/n]") == 2
    assert "A Local cluster" in output
    assert "type=local&shared_place=yes&shared_specialisation=no" in output


def test_asks_only_what_the_flags_left_open():
    # when
    output = _run("--place", "no", stdin="yes\n")
    # then
    assert "Do your businesses share one place?" not in output
    assert "Spread across the country" in output
    assert "A Virtual cluster" in output


def test_asks_again_after_an_answer_that_is_not_yes_or_no():
    # when
    output = _run(stdin="perhaps\n\nno\nno\n")
    # then
    assert output.count("Please answer y (yes) or n (no).") == 2
    assert "Not a cluster yet" in output


def test_running_out_of_input_is_a_clear_error():
    # when
    with pytest.raises(CommandError) as caught:
        _run(stdin="y\n")
    # then
    assert "--specialisation" in str(caught.value)
