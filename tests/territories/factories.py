import factory

from territories.models import Caf, Commune, Departement, Epci, Equipment, EquipmentKind, Territory


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{(n % 89) + 1:02d}")
    name = factory.Sequence(lambda n: f"Département {n}")


class CafFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Caf

    name = factory.Sequence(lambda n: f"Caf n° {n}")
    departement = factory.SubFactory(DepartementFactory)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci

    siren = factory.Sequence(lambda n: f"2{n:08d}")
    name = factory.Sequence(lambda n: f"Communauté de communes {n}")
    kind = "CC"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    insee_code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    departement = factory.SubFactory(DepartementFactory)
    population = 5000
    population_year = 2021


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Périmètre {n}")
    kind = "regroupement"

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if not create:
            return
        self.communes.set(extracted if extracted is not None else [CommuneFactory()])


class EquipmentKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentKind
        django_get_or_create = ["code"]

    code = "eaje"
    label = "EAJE"


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment

    kind = factory.SubFactory(EquipmentKindFactory)
    name = factory.Sequence(lambda n: f"Crèche {n}")
    commune = factory.SubFactory(CommuneFactory)
