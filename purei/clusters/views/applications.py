from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def application_create_view(request: HttpRequest) -> HttpResponse:  # replaced later
    return render(request, "web/home.html")


def application_thanks_view(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "web/home.html")


def review_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


def review_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "web/home.html")
