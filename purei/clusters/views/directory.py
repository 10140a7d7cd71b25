from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def directory_view(request: HttpRequest) -> HttpResponse:  # replaced by directory work
    return render(request, "web/home.html")


def cluster_home_view(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "web/home.html")
