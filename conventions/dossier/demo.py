"""The demo: reference data, one login per role, and the conventions transcribed from the seeds."""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from accounts import twofactor
from accounts.enums import Role
from accounts.models import User
from actions.models import Methodology, Priority
from territories.models import Caf, Departement, EquipmentKind
from territories.reference import reference_data_load

from ..enums import VersionKind
from ..models import Convention, Domain
from ..services import editions_load
from .exchange import convention_import
from .versions import version_freeze

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "demo-ctg-2026"
# The demo administrator's TOTP secret (administrators must use two-factor authentication): the RFC 6238
# test key, printed by load_demo in base32 for an authenticator app or `oathtool --totp -b`.
DEMO_ADMIN_TOTP_KEY = "3132333435363738393031323334353637383930"

# (e-mail, first name, last name, role, Caf, job title)
DEMO_USERS = [
    ("conseillere@demo.ctg.fr", "Claire", "Vidal", Role.ADVISER, "Caf de la Loire", "Conseillère territoriale"),
    ("conseiller.loiret@demo.ctg.fr", "Hugo", "Morel", Role.ADVISER, "Caf du Loiret", "Conseiller territorial"),
    ("cooperation@demo.ctg.fr", "Camille", "Durand", Role.COOPERATION, None, "Chargée de coopération"),
    ("copil@demo.ctg.fr", "Louis", "Bertin", Role.COPIL, None, "Élu, membre du COPIL"),
    ("admin@demo.ctg.fr", "Alex", "Admin", Role.ADMIN, None, "Administrateur"),
]


def lists_load(*, path: Path) -> None:
    """Cafs, champs d'intervention, equipment types and the open lists; idempotent."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    with transaction.atomic():
        for caf in data["cafs"]:
            Caf.objects.update_or_create(
                name=caf["name"],
                defaults={"departement": Departement.objects.get(code=caf["departement"]), "address": caf["address"]},
            )
        for order, label in enumerate(data["domains"], start=1):
            Domain.objects.update_or_create(code=label_code(label), defaults={"label": label, "order": order})
        for order, (code, label) in enumerate(data["equipment_kinds"], start=1):
            EquipmentKind.objects.update_or_create(code=code, defaults={"label": label, "order": order})
        for order, label in enumerate(data["priorities"], start=1):
            Priority.objects.update_or_create(label=label, defaults={"order": order})
        for order, label in enumerate(data["methodologies"], start=1):
            Methodology.objects.update_or_create(label=label, defaults={"order": order})


def label_code(label: str) -> str:
    return slugify(label)[:60]


def demo_users_create() -> list[User]:
    users = []
    for email, first, last, role, caf_name, job in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "caf": Caf.objects.get(name=caf_name) if caf_name else None,
                "job_title": job,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created or not user.has_usable_password():
            user.is_active = True
            user.set_password(DEMO_PASSWORD)
            user.save()
        if twofactor.required_for(user):
            twofactor.totp_device_seed(user=user, key_hex=DEMO_ADMIN_TOTP_KEY)
        users.append(user)
    return users


def demo_load(*, full_reference: bool = True) -> list[Convention]:
    """Load everything the demo needs; running it again adds nothing."""
    reference_data_load(departements=None if full_reference else ["42", "45"])
    lists_load(path=FIXTURES / "reference" / "lists.json")
    editions_load(path=FIXTURES / "reference" / "editions.json")
    demo_users_create()
    conventions = []
    for path in sorted((FIXTURES / "demo").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        existing = Convention.objects.filter(reference=data["convention"]["reference"]).first()
        if existing:
            conventions.append(existing)
            continue
        convention, _warnings = convention_import(data=data)
        demo_versions_freeze(convention=convention)
        conventions.append(convention)
    return conventions


def demo_versions_freeze(*, convention: Convention) -> None:
    """A signed demo convention gets its frozen version as signing makes it (its PDF/A is rendered by a job)."""
    if convention.is_signed and convention.signature_date and not convention.versions.exists():
        version_freeze(
            convention=convention,
            kind=VersionKind.SIGNED,
            signed_on=convention.signature_date,
            signed_at=convention.signature_place,
        )


def demo_admin_secret() -> str:
    """The base32 secret of the demo administrator, as load_demo prints it."""
    from base64 import b32encode

    return b32encode(bytes.fromhex(DEMO_ADMIN_TOTP_KEY)).decode()
