from django.urls import path

from . import views, views_manage

app_name = "web"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("manage/", views_manage.manage_view, name="manage"),
]
