from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils import translation
from django.views.decorators.http import require_GET
from django.views.i18n import set_language


@require_GET
def favicon_view(request: HttpRequest) -> HttpResponse:
    return redirect(static("web/img/favicon.svg"), permanent=True)


def set_language_view(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language``, reading ``next`` in the language of its own path.

    The language switch is a pair of links now (each page's other-language address);
    this keeps the old POST form working. Django translates ``next`` to the chosen
    language by resolving it in the *active* language, and this request's path
    (``/i18n/setlang/``) is English, so ``next=/mi/c/x/`` would not resolve and the
    switch back to English would land on te reo again: resolve it in its own.
    """
    nxt = request.POST.get("next", request.GET.get("next")) or ""
    language = translation.get_language_from_path(nxt) or settings.LANGUAGE_CODE
    with translation.override(language):
        return set_language(request)
