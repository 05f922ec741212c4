from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("calendrier/", views.my_calendar, name="calendar"),
    path("calendrier/<str:token>.ics", views.calendar_feed, name="feed"),
    path("conventions/<int:convention_pk>/calendrier/", views.convention_calendar, name="convention_calendar"),
    path("compte/", views.account, name="account"),
    path("compte/calendrier/regenerer/", views.feed_regenerate, name="feed_regenerate"),
]
