from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET


@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@require_GET
def favicon_view(request: HttpRequest) -> HttpResponse:
    return redirect(static("web/img/favicon.svg"), permanent=True)
