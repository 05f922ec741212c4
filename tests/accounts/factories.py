import factory

from accounts.enums import Role
from accounts.models import User
from tests.territories.factories import CafFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Dominique"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    role = Role.COPIL
    password = factory.django.Password("mot-de-passe-de-test")

    class Params:
        adviser = factory.Trait(role=Role.ADVISER, caf=factory.SubFactory(CafFactory))
        cooperation = factory.Trait(role=Role.COOPERATION)
        copil = factory.Trait(role=Role.COPIL)
        administrator = factory.Trait(role=Role.ADMIN, is_staff=True, is_superuser=True)
