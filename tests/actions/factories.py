import factory

from actions.models import ActionSheet, Axis, Objective, Orientation, StatusUpdate
from tests.conventions.factories import ConventionFactory


class OrientationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Orientation

    convention = factory.SubFactory(ConventionFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Orientation {n}")


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axis

    orientation = factory.SubFactory(OrientationFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Axe {n}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    axis = factory.SubFactory(AxisFactory)
    orientation = factory.SelfAttribute("axis.orientation")
    number = factory.Sequence(lambda n: f"1.{n + 1}")
    title = factory.Sequence(lambda n: f"Objectif {n}")


class ActionSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionSheet

    convention = factory.SubFactory(ConventionFactory)
    reference = factory.Sequence(lambda n: f"{n + 1}.1")
    title = factory.Sequence(lambda n: f"Fiche-action {n}")

    @classmethod
    def _create(cls, model_class, *args, place=None, **kwargs):
        """`place=node` puts the fiche under that orientation, axis or objective (as the plan page does)."""
        action = model_class(*args, **kwargs)
        if place is not None:
            action.place_under(place)
        action.save()
        return action


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    action = factory.SubFactory(ActionSheetFactory)
    date = factory.Faker("date_between", start_date="-2y", end_date="today")
    status = "en_cours"
    progress = 30
