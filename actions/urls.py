from django.urls import path, register_converter

from . import views
from .levels import BY_SLUG


class PlanNodeConverter:
    """The level of a node of the plan, as written in URLs."""

    regex = "|".join(BY_SLUG)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PlanNodeConverter, "plan_node")

app_name = "actions"

PLAN = "conventions/<int:convention_pk>/plan/"
MEETINGS = "conventions/<int:convention_pk>/reunions/"

urlpatterns = [
    path(PLAN, views.plan_edit, name="plan_edit"),
    path(f"{PLAN}niveaux/", views.plan_levels_edit, name="plan_levels"),
    path(f"{PLAN}coller/", views.plan_outline, name="plan_outline"),
    path(f"{PLAN}fiches/ajouter/", views.action_create, name="create"),
    path(f"{PLAN}fiches/<int:pk>/", views.action_detail, name="detail"),
    path(f"{PLAN}fiches/<int:pk>/modifier/", views.action_edit, name="edit"),
    path(f"{PLAN}fiches/<int:pk>/deplacer/", views.action_move, name="move"),
    path(f"{PLAN}orientations/ajouter/", views.orientation_create, name="orientation_create"),
    path(f"{PLAN}orientation/<int:orientation_pk>/axes/ajouter/", views.axis_create, name="axis_create"),
    path(
        f"{PLAN}<plan_node:parent_kind>/<int:parent_pk>/objectifs/ajouter/",
        views.objective_create,
        name="objective_create",
    ),
    path(f"{PLAN}<plan_node:node_kind>/<int:node_pk>/renommer/", views.node_rename, name="node_rename"),
    path(f"{PLAN}<plan_node:node_kind>/<int:node_pk>/deplacer/", views.node_move, name="node_move"),
    path(f"{PLAN}<plan_node:node_kind>/<int:node_pk>/supprimer/", views.node_delete, name="node_delete"),
    # Follow-up: chargés de coopération and advisers.
    path("suivi/", views.my_follow_up, name="my_follow_up"),
    path(f"{PLAN}fiches/<int:pk>/avancement/", views.status_update, name="status_update"),
    path(f"{PLAN}fiches/<int:pk>/budget/", views.budget, name="budget"),
    path(MEETINGS, views.meetings, name="meetings"),
    path(f"{MEETINGS}ajouter/", views.meeting_create, name="meeting_create"),
    path(f"{MEETINGS}<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path(f"{MEETINGS}<int:pk>/supprimer/", views.meeting_delete, name="meeting_delete"),
]
