"""``purei finder``: which cluster type are we?

Asks the finder's questions one at a time (y/n), or takes the answers at once:
``purei finder --place yes --specialisation no``. Prints the type, a plain explanation
and where to apply. A flag's bad value is an error with a non-zero exit.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from purei.clusters.finder import (
    DECLARATION_LABELS,
    SHARED_PLACE,
    SHARED_SPECIALISATION,
    Outcome,
    Question,
    apply_path,
    classify,
    parse_answer_word,
    walk,
)
from purei.core.links import absolute_url

# Which flag fills in which answer key of the graph.
FLAGS = {SHARED_PLACE: "place", SHARED_SPECIALISATION: "specialisation"}
WIDTH = 78
HELP = gettext_noop(
    "Which cluster type are we? Asks two yes/no questions, or answers them at "
    "once with --place and --specialisation."
)


def yes_or_no(value: str) -> bool:
    parsed = parse_answer_word(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(
            _("expected yes or no, got %(value)r") % {"value": value}
        )
    return parsed


class Command(BaseCommand):
    help = HELP
    stealth_options = ("stdin",)

    def create_parser(
        self, prog_name: str, subcommand: str, **kwargs: Any
    ) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = _(HELP)  # --help in the active language
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--place",
            type=yes_or_no,
            metavar="yes|no",
            help=_("Do the businesses share one place (a region, town or market)?"),
        )
        parser.add_argument(
            "--specialisation",
            type=yes_or_no,
            metavar="yes|no",
            help=_(
                "Do they share one specialisation "
                "(an industry, a crop or a way of distributing)?"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdin: IO[str] = options.get("stdin") or sys.stdin
        answers: dict[str, object] = {
            key: options[flag]
            for key, flag in FLAGS.items()
            if options.get(flag) is not None
        }
        # Ask each question the flags left open, in the graph's order.
        result = walk(answers)
        while result.question is not None:
            answers[result.question.key] = self.ask(result.question)
            result = walk(answers)
        outcome = classify(result.answers)
        self.report(outcome, result.answers)

    def ask(self, question: Question) -> bool:
        self.stdout.write(self.style.HTTP_INFO(str(question.text)))
        self.stdout.write(textwrap.fill(str(question.help), WIDTH))
        while True:
            self.stdout.write(_("[y/n]: "), ending="")
            self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                flag = FLAGS.get(question.key, question.key)
                raise CommandError(
                    _("No answer to “%(question)s”: answer y or n, or pass --%(flag)s.")
                    % {"question": question.text, "flag": flag}
                )
            answer = parse_answer_word(line)
            if answer is not None:
                self.stdout.write("")
                return answer
            self.stdout.write(self.style.WARNING(_("Please answer y (yes) or n (no).")))

    def report(self, outcome: Outcome, answers: dict[str, bool]) -> None:
        self.stdout.write(self.style.SUCCESS(str(outcome.title)))
        self.stdout.write(textwrap.fill(str(outcome.explanation), WIDTH))
        if outcome.examples:
            self.stdout.write("")
            self.stdout.write(_("Clusters like yours:"))
            for example in outcome.examples:
                self.stdout.write(f"  - {example}")
        if outcome.type is None:
            self.stdout.write("")
            self.stdout.write(_("What would make it one:"))
            for step in outcome.next_steps:
                self.stdout.write(
                    textwrap.fill(
                        str(step),
                        WIDTH,
                        initial_indent="  - ",
                        subsequent_indent="    ",
                    )
                )
            return
        self.stdout.write("")
        self.stdout.write(_("When you apply you will declare:"))
        for name in outcome.must_declare:
            self.stdout.write(f"  - {DECLARATION_LABELS[name]}")
        self.stdout.write("")
        path = apply_path(outcome, answers) or reverse("clusters:apply")
        self.stdout.write(
            _("Apply to form a %(type)s cluster: %(url)s")
            % {"type": outcome.type.label, "url": absolute_url(path)}
        )
