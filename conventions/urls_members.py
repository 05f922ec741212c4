"""Members of a convention: chargé·es de coopération and COPIL members."""

from django.urls import path

from .views import members

urlpatterns = [
    path("conventions/<int:pk>/membres/", members.members, name="members"),
    path("conventions/<int:pk>/membres/<int:membership_pk>/retirer/", members.member_remove, name="member_remove"),
]
