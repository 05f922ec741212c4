"""URL patterns of one area of the conventions app, included (same namespace) by conventions/urls.py."""

urlpatterns: list = []
