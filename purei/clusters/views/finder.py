from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def finder_view(request: HttpRequest) -> HttpResponse:  # replaced by the finder work
    return render(request, "web/home.html")
