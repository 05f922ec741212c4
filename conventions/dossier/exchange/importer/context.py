"""The lookups, checks and savers every section of a Convention JSON import uses; the problems it collects."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions.services import open_list_known, open_list_value
from territories.models import Commune, Epci

from ....models import Domain


class ImportContext:
    """What every section's importer shares: the file, the problems found so far, the reference data looked up."""

    def __init__(self, data: dict):
        self.data = data
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self._communes: dict[str, Commune] = {}
        self._domains = open_list_known(Domain)
        self._users: dict[str, object] = {}
        self._open_lists: dict[type, dict[str, object]] = {}

    # -- lookups -----------------------------------------------------------------------------------

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where} : {message}")

    def commune(self, code: str | None, where: str) -> Commune | None:
        if not code:
            return None
        if code not in self._communes:
            commune = Commune.objects.filter(insee_code=code).first()
            if commune is None:
                self.error(where, f"commune inconnue (code INSEE « {code} »).")
                return None
            self._communes[code] = commune
        return self._communes[code]

    def epci(self, siren: str | None, where: str) -> Epci | None:
        if not siren:
            return None
        epci = Epci.objects.filter(siren=siren).first()
        if epci is None:
            self.error(where, f"EPCI inconnu (SIREN « {siren} »).")
        return epci

    def domain(self, label: str | None) -> Domain | None:
        if not label:
            return None
        return self.open_list_entry(
            Domain,
            label,
            self._domains,
            where=f"champ d'intervention « {label.strip()} »",
            created=f"Champ d'intervention créé : « {label.strip()} ».",
        )

    def user(self, email: str | None):
        """A named person: an account that does not exist here is created inactive, without a password."""
        if not email:
            return None
        email = email.strip().lower()
        if email not in self._users:
            user_model = get_user_model()
            user = user_model.objects.filter(email=email).first()
            if user is None:
                user = user_model.objects.create_user(email=email, password=None, is_active=False)
                self.warnings.append(f"Compte inactif créé pour {email}.")
            self._users[email] = user
        return self._users[email]

    @staticmethod
    def parse_date(value, where: str, errors: list[str]) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            errors.append(f"{where} : date invalide « {value} » (attendu AAAA-MM-JJ).")
            return None

    def d(self, value, where: str) -> date | None:
        return self.parse_date(value, where, self.errors)

    def dt(self, value, where: str) -> datetime | None:
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            self.error(where, f"date et heure invalides « {value} » (attendu AAAA-MM-JJTHH:MM:SS+00:00).")
            return None
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

    def dec(self, value, where: str) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            self.error(where, f"nombre invalide « {value} ».")
            return None

    def save(self, obj, where: str):
        """Validate and save one row; a row that fails is reported and left unsaved."""
        try:
            obj.full_clean()
        except ValidationError as exc:
            self.refused(type(obj), where, exc)
            return obj
        obj.save()
        return obj

    def refused(self, model, where: str, exc: ValidationError) -> None:
        """Report why a row was refused (by its validation or by the service that writes it)."""
        for field, messages in exc.message_dict.items():
            label = "" if field == "__all__" else f"{model._meta.get_field(field).verbose_name} — "
            for message in messages:
                self.error(where, f"{label}{message}")

    def open_item(self, model, label: str):
        """A priority or methodology by label, matched without regard to case or accents; created if new."""
        return self.open_list_entry(
            model,
            label,
            self._open_lists.setdefault(model, open_list_known(model)),
            where=f"{model._meta.verbose_name} « {label.strip()} »",
            created=f"{model._meta.verbose_name.capitalize()} créée : « {label.strip()} ».",
        )

    def open_list_entry(self, model, label: str, known: dict, *, where: str, created: str):
        """The entry of an open list, created if new (with the warning `created`); None if refused (reported)."""
        try:
            item, is_new = open_list_value(model=model, label=label, known=known)
        except ValidationError as exc:
            self.error(where, " ".join(exc.messages))
            return None
        if is_new:
            self.warnings.append(created)
        return item


def fields(item: dict, **defaults) -> dict:
    """The fields named, as the file gives them, else their default."""
    return {name: item.get(name, default) for name, default in defaults.items()}
