import factory

from evaluation.models import Indicator, Measurement
from tests.conventions.factories import ConventionFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    convention = factory.SubFactory(ConventionFactory)
    label = factory.Sequence(lambda n: f"Nombre de familles accompagnées {n}")
    kind = "quantitatif"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2024
    value = 12
