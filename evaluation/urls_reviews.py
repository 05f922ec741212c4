"""URL patterns of one area of the evaluation app, included by evaluation/urls.py."""

urlpatterns: list = []
