import datetime

import factory

from conventions.models import Clause, Committee, Convention, Diagnostic, Membership, Party, Representative
from tests.accounts.factories import UserFactory
from tests.territories.factories import CafFactory, TerritoryFactory


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"CTG-TEST-{n:04d}")
    title = factory.Sequence(lambda n: f"Convention territoriale globale n° {n}")
    caf = factory.SubFactory(CafFactory)
    territory = factory.SubFactory(TerritoryFactory)
    start_date = datetime.date(2022, 1, 1)
    end_date = datetime.date(2026, 12, 31)
    diagnostic = factory.RelatedFactory(
        "tests.conventions.factories.DiagnosticFactory", factory_related_name="convention"
    )

    class Params:
        signed = factory.Trait(status="signee", signature_date=datetime.date(2022, 12, 13))


class DiagnosticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnostic

    convention = factory.SubFactory(ConventionFactory, diagnostic=None)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    convention = factory.SubFactory(ConventionFactory)
    user = factory.SubFactory("tests.accounts.factories.UserFactory")


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    convention = factory.SubFactory(ConventionFactory)
    kind = "commune"
    name = factory.Sequence(lambda n: f"Commune partenaire {n}")
    deliberation_body = "conseil municipal"
    deliberation_date = datetime.date(2022, 12, 5)


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    party = factory.SubFactory(PartyFactory)
    civility = "Madame"
    name = factory.Sequence(lambda n: f"Élue {n}")
    title = "Maire"


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clause

    convention = factory.SubFactory(ConventionFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = "Objet de la convention"
    body = "La présente convention vise à définir le projet stratégique global du territoire."
    order = factory.Sequence(lambda n: n)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    convention = factory.SubFactory(ConventionFactory)
    kind = "copil"
    name = "Comité de pilotage"


def member(convention, **role):
    """A user of that role (`cooperation=True`, `copil=True`…) who is a member of `convention`."""
    user = UserFactory(**role)
    MembershipFactory(convention=convention, user=user)
    return user
