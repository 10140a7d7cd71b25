"""The type finder page: one question at a time, then the type, and the whole flowchart.

Answers so far live in the query string (``?shared_place=yes``), so every step has its
own URL: the back button works and a step can be bookmarked. With htmx the form swaps
only the finder region (and the flowchart, out of band) and pushes the URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from purei.clusters.finder import (
    DECLARATION_LABELS,
    Walk,
    answer_word,
    answers_from_query,
    apply_path,
    total_questions,
    walk,
)
from purei.clusters.finder_chart import chart, outline
from purei.clusters.selectors import cluster_list_of_type


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _finder_url(answers: Mapping[str, bool]) -> str:
    base = reverse("clusters:finder")
    if not answers:
        return base
    return f"{base}?{urlencode({k: answer_word(v) for k, v in answers.items()})}"


def _context(result: Walk) -> dict[str, Any]:
    steps = [
        {
            "question": step.question,
            "answer": step.answer,
            # Answering this question again: the answers before it, no further.
            "change_url": _finder_url(
                {s.question.key: s.answer.value for s in result.steps[:index]}
            ),
        }
        for index, step in enumerate(result.steps)
    ]
    context: dict[str, Any] = {
        "walk": result,
        "question": result.question,
        "outcome": result.outcome,
        "steps": steps,
        "start_url": _finder_url({}),
        "previous_url": steps[-1]["change_url"] if steps else None,
        "chart": chart(taken=result),
        "outline": outline(taken=result),
    }
    if result.question is not None:
        number = len(result.steps) + 1
        context["number"] = number
        context["total"] = total_questions(result)
        context["error"] = (
            _("“%(value)s” is not an answer: choose yes or no.")
            % {"value": Truncator(str(result.invalid)).chars(40)}
            if result.invalid is not None
            else None
        )
        context["page_title"] = _("Question %(number)s of %(total)s: %(question)s") % {
            "number": number,
            "total": context["total"],
            "question": result.question.text,
        }
        if context["error"]:
            context["page_title"] = _("Error: %(title)s") % {
                "title": context["page_title"]
            }
    elif result.outcome is not None:
        context["apply_url"] = apply_path(result.outcome, result.answers)
        context["declarations"] = [
            DECLARATION_LABELS[name] for name in result.outcome.must_declare
        ]
        context["page_title"] = str(result.outcome.title)
        if result.outcome.type is not None:
            like, count = cluster_list_of_type(type=result.outcome.type)
            context["like_clusters"] = like
            context["like_count"] = count
            context["like_all_url"] = (
                f"{reverse('clusters:directory')}?"
                f"{urlencode({'type': result.outcome.type})}"
            )
    return context


@require_GET
def finder_view(request: HtmxHttpRequest) -> HttpResponse:
    result = walk(answers_from_query(request.GET))
    context = _context(result)
    status = 400 if context.get("error") else 200
    # A history restore wants the whole page; any other htmx request just the region.
    partial = request.htmx and not request.htmx.history_restore_request
    template = (
        "clusters/finder/_partial.html" if partial else "clusters/finder/page.html"
    )
    return render(request, template, context, status=status)
