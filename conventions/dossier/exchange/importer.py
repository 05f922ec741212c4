"""A Convention JSON document imported as a new convention, all or nothing; the plan written by the actions
services."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from actions import services
from actions.models import ActionSheet, Axis, BudgetLine, Methodology, Objective, Orientation, Priority, StatusUpdate
from actions.services import open_list_known, open_list_value
from evaluation.models import Indicator, Measurement, Review
from territories.models import Caf, Commune, Epci, Equipment, EquipmentKind, Territory

from ...models import (
    Amendment,
    AoCompetence,
    Clause,
    Committee,
    CommitteeMember,
    Convention,
    Diagnostic,
    Domain,
    Edition,
    Issue,
    KeyFigure,
    Meeting,
    Membership,
    Party,
    Representative,
    SupportedEquipment,
)
from .format import FORMAT, VERSION, ConventionFileError


class _Importer:
    """Builds a convention from a file; collects every problem before giving up."""

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
        try:
            domain, created = open_list_value(model=Domain, label=label, known=self._domains)
        except ValidationError as exc:
            self.error(f"champ d'intervention « {label.strip()} »", " ".join(exc.messages))
            return None
        if created:
            self.warnings.append(f"Champ d'intervention créé : « {label.strip()} ».")
        return domain

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

    # -- building ----------------------------------------------------------------------------------

    def run(self) -> Convention:
        data = self.data
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ConventionFileError([f"Ce fichier n'est pas au format {FORMAT}, version {VERSION}."])
        head = data.get("convention") or {}
        reference = head.get("reference", "")
        if Convention.objects.filter(reference=reference).exists():
            raise ConventionFileError([f"Une convention de référence « {reference} » existe déjà."])
        caf = Caf.objects.filter(name=head.get("caf")).first()
        if caf is None:
            raise ConventionFileError([f"convention : Caf inconnue « {head.get('caf')} »."])
        edition = None
        if head.get("edition"):
            edition = Edition.objects.filter(code=head["edition"]).first()
            if edition is None:
                self.error("convention", f"modèle inconnu « {head['edition']} ».")
        previous = None
        if head.get("previous"):
            previous = Convention.objects.filter(reference=head["previous"]).first()
            if previous is None:
                self.warnings.append(f"Convention précédente « {head['previous']} » absente : lien non repris.")

        territory = self.territory(data.get("territory") or {}, "périmètre")
        convention = Convention(
            reference=reference,
            title=head.get("title", ""),
            caf=caf,
            territory=territory,
            edition=edition,
            status=head.get("status", "brouillon"),
            start_date=self.d(head.get("start_date"), "convention, date de début"),
            starts_on_signature=bool(head.get("starts_on_signature")),
            end_date=self.d(head.get("end_date"), "convention, date de fin"),
            visas=head.get("visas", ""),
            preamble=head.get("preamble", ""),
            signature_place=head.get("signature_place", ""),
            signature_date=self.d(head.get("signature_date"), "convention, date de signature"),
            prefecture_sent_on=self.d(head.get("prefecture_sent_on"), "convention, envoi en préfecture"),
            prefecture_received_on=self.d(head.get("prefecture_received_on"), "convention, réception en préfecture"),
            published_on=self.d(head.get("published_on"), "convention, publication"),
            act_id=head.get("act_id", ""),
            previous=previous,
            terminated_on=self.d(head.get("terminated_on"), "convention, résiliation"),
            termination_reason=head.get("termination_reason", ""),
        )
        try:
            convention.full_clean(exclude=["territory"] if territory.pk is None else None)
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                for message in messages:
                    self.error("convention", message)
            raise ConventionFileError(self.errors)  # nothing else can be checked without the convention
        if territory.pk is None:
            raise ConventionFileError(self.errors)
        # Keep going after a bad row: the whole file is checked, then rolled back if anything failed.
        convention.save()
        convention.domains.set([self.domain(label) for label in head.get("domains", [])])
        for email in data.get("members", []):
            Membership.objects.create(convention=convention, user=self.user(email))

        parties = self.parties(convention, data.get("parties", []))
        for order, clause in enumerate(data.get("clauses", []), start=1):
            self.save(
                Clause(
                    convention=convention,
                    number=clause.get("number", ""),
                    title=clause.get("title", ""),
                    body=clause.get("body", ""),
                    order=order,
                ),
                f"article {clause.get('number') or order}",
            )
        self.diagnostic(convention, data.get("diagnostic") or {})
        self.equipment(convention, data.get("equipment", []), parties)
        actions = self.plan(convention, data.get("plan") or {})
        for order, indicator in enumerate(data.get("indicators", []), start=1):
            self.indicator(convention, None, indicator, order, "indicateur de la convention")
        meetings = self.committees(convention, data.get("committees", []), actions)
        self.amendments(convention, data.get("amendments", []))
        self.ao_competences(convention, data.get("ao_competences", []))
        self.reviews(convention, data.get("reviews", []), meetings)
        if self.errors:
            raise ConventionFileError(self.errors)
        return convention

    def territory(self, data: dict, where: str, *, parent: Territory | None = None) -> Territory:
        territory = Territory(
            name=data.get("name", ""),
            kind=data.get("kind", "regroupement"),
            code=data.get("code", ""),
            epci=self.epci(data.get("epci"), where),
            parent=parent,
        )
        if data.get("parent"):
            territory.parent = self.territory(data["parent"], f"{where} parent")
        communes = [self.commune(code, where) for code in data.get("communes", [])]
        self.save(territory, where)
        if territory.pk:
            territory.communes.set([c for c in communes if c])
            for child in data.get("children", []):
                self.territory(child, f"sous-périmètre « {child.get('name', '')} »", parent=territory)
        return territory

    def parties(self, convention: Convention, items: list[dict]) -> dict[str, Party]:
        parties = {}
        for order, item in enumerate(items, start=1):
            where = f"signataire « {item.get('name', order)} »"
            party = self.save(
                Party(
                    convention=convention,
                    kind=item.get("kind", ""),
                    name=item.get("name", ""),
                    designation=item.get("designation", ""),
                    commune=self.commune(item.get("commune"), where),
                    epci=self.epci(item.get("epci"), where),
                    deliberation_body=item.get("deliberation_body", ""),
                    deliberation_date=self.d(item.get("deliberation_date"), where),
                    deliberation_reference=item.get("deliberation_reference", ""),
                    order=order,
                ),
                where,
            )
            parties[party.name] = party
            if party.pk is None:
                continue
            for rank, rep in enumerate(item.get("representatives", []), start=1):
                self.save(
                    Representative(
                        party=party,
                        civility=rep.get("civility", ""),
                        name=rep.get("name", ""),
                        title=rep.get("title", ""),
                        signed_on=self.d(rep.get("signed_on"), where),
                        order=rank,
                    ),
                    f"{where}, représentant·e {rank}",
                )
        return parties

    def diagnostic(self, convention: Convention, data: dict) -> None:
        diagnostic = self.save(
            Diagnostic(convention=convention, summary=data.get("summary", ""), documents=data.get("documents", "")),
            "diagnostic",
        )
        if diagnostic.pk is None:
            return
        for order, item in enumerate(data.get("key_figures", []), start=1):
            where = f"chiffre clé {order}"
            self.save(
                KeyFigure(
                    diagnostic=diagnostic,
                    theme=item.get("theme", ""),
                    label=item.get("label", ""),
                    value=self.dec(item.get("value"), where),
                    value_text=item.get("value_text", ""),
                    unit=item.get("unit", ""),
                    year=item.get("year"),
                    source=item.get("source", ""),
                    comparison=item.get("comparison", ""),
                    order=order,
                ),
                where,
            )
        for order, item in enumerate(data.get("issues", []), start=1):
            self.save(
                Issue(
                    diagnostic=diagnostic,
                    domain=self.domain(item.get("domain")),
                    text=item.get("text", ""),
                    order=order,
                ),
                f"enjeu {order}",
            )

    def equipment(self, convention: Convention, items: list[dict], parties: dict[str, Party]) -> None:
        kinds = {k.code: k for k in EquipmentKind.objects.all()}
        for order, item in enumerate(items, start=1):
            where = f"équipement {order} « {item.get('name', '')} »"
            code = item.get("kind") or slugify(item.get("kind_label", ""))
            if code not in kinds:
                kinds[code], _ = EquipmentKind.objects.get_or_create(
                    code=code, defaults={"label": item.get("kind_label") or code, "order": 100}
                )
            commune = self.commune(item.get("commune"), where)
            if commune is None:
                continue
            equipment = Equipment.objects.filter(
                kind=kinds[code], commune=commune, name=item.get("name", ""), address=item.get("address", "")
            ).first() or self.save(
                Equipment(
                    kind=kinds[code],
                    commune=commune,
                    name=item.get("name", ""),
                    address=item.get("address", ""),
                    manager=item.get("manager", ""),
                    capacity=item.get("capacity"),
                ),
                where,
            )
            supported_by = None
            if item.get("supported_by"):
                supported_by = parties.get(item["supported_by"])
                if supported_by is None:
                    self.error(where, f"signataire inconnu « {item['supported_by']} ».")
            self.save(
                SupportedEquipment(
                    convention=convention,
                    equipment=equipment,
                    supported_by=supported_by,
                    financing_note=item.get("financing_note", ""),
                    order=order,
                ),
                where,
            )

    def plan(self, convention: Convention, data: dict) -> dict[str, ActionSheet]:
        """The plan, written by the actions services (nodes in the file's order, fiches numbered across it)."""
        actions: dict[str, ActionSheet] = {}
        counter = iter(range(1, 100_000))

        def node(model, where: str, create, **fields):
            """A node written by `create` (a service), or an unsaved one when refused (reported)."""
            try:
                return create(**fields)
            except ValidationError as exc:
                self.refused(model, where, exc)
                return model()

        def add_actions(items, place=None):
            for item in items:
                self.action(convention, item, next(counter), actions, place)

        def add_objectives(items, parent):
            for order, item in enumerate(items, start=1):
                objective = node(
                    Objective,
                    f"objectif « {item.get('title', '')[:40]} »",
                    services.objective_create,
                    parent=parent,
                    number=item.get("number", ""),
                    title=item.get("title", ""),
                    order=order,
                )
                if objective.pk is not None:
                    add_actions(item.get("actions", []), objective)

        for order, item in enumerate(data.get("orientations", []), start=1):
            orientation = node(
                Orientation,
                f"orientation {item.get('number') or order}",
                services.orientation_create,
                convention=convention,
                number=item.get("number", ""),
                title=item.get("title", ""),
                order=order,
            )
            if orientation.pk is None:
                continue
            for rank, axis_data in enumerate(item.get("axes", []), start=1):
                axis = node(
                    Axis,
                    f"axe {axis_data.get('number') or rank} de l'orientation {item.get('number') or order}",
                    services.axis_create,
                    orientation=orientation,
                    number=axis_data.get("number", ""),
                    title=axis_data.get("title", ""),
                    order=rank,
                )
                if axis.pk is None:
                    continue
                add_objectives(axis_data.get("objectives", []), axis)
                add_actions(axis_data.get("actions", []), axis)
            add_objectives(item.get("objectives", []), orientation)
            add_actions(item.get("actions", []), orientation)
        add_actions(data.get("actions", []))
        return actions

    def action(self, convention, item, order, actions, place) -> None:
        reference = str(item.get("reference", ""))
        where = f"fiche-action « {reference} »"
        if reference in actions:
            self.error(where, "référence en double dans le fichier.")
            return
        priority = methodology = None
        if item.get("priority"):
            priority = self._open_item(Priority, item["priority"])
        if item.get("methodology"):
            methodology = self._open_item(Methodology, item["methodology"])
        action = ActionSheet(
            convention=convention,
            reference=reference,
            title=item.get("title", ""),
            kind=item.get("kind", ""),
            level=item.get("level", ""),
            target_public=item.get("target_public", ""),
            target_territory=item.get("target_territory", ""),
            lead=item.get("lead", ""),
            pilots=item.get("pilots", ""),
            partners=item.get("partners", ""),
            context=item.get("context", ""),
            objectives=item.get("objectives", ""),
            implementation=item.get("implementation", ""),
            expected_results=item.get("expected_results", ""),
            schedule=item.get("schedule", ""),
            start_year=item.get("start_year"),
            end_year=item.get("end_year"),
            due_date=self.d(item.get("due_date"), where),
            budget_amount=self.dec(item.get("budget_amount"), where),
            budget_text=item.get("budget_text", ""),
            caf_means=item.get("caf_means", ""),
            priority=priority,
            methodology=methodology,
            vigilance=item.get("vigilance", ""),
            status=item.get("status", "a_lancer"),
            status_reason=item.get("status_reason", ""),
            progress=item.get("progress", 0),
        )
        domains = [d for d in (self.domain(label) for label in item.get("domains", [])) if d]
        communes = [c for c in (self.commune(code, where) for code in item.get("target_communes", [])) if c]
        try:
            services.action_sheet_create(
                action=action, place=place, domains=domains, target_communes=communes, order=order
            )
        except ValidationError as exc:
            self.refused(ActionSheet, where, exc)
        actions[reference] = action
        if action.pk is None:
            return
        for rank, indicator in enumerate(item.get("indicators", []), start=1):
            self.indicator(convention, action, indicator, rank, f"{where}, indicateur {rank}")
        for rank, update in enumerate(item.get("status_updates", []), start=1):
            try:
                services.timeline_add(
                    action=action,
                    date=self.d(update.get("date"), where),
                    status=update.get("status", ""),
                    progress=update.get("progress", 0),
                    comment=update.get("comment", ""),
                    author=self.user(update.get("author")),
                )
            except ValidationError as exc:
                self.refused(StatusUpdate, f"{where}, point d'avancement {rank}", exc)
        for rank, line in enumerate(item.get("budget_lines", []), start=1):
            line_where = f"{where}, ligne budgétaire {rank}"
            self.save(
                BudgetLine(
                    action=action,
                    year=line.get("year"),
                    funder=line.get("funder", ""),
                    funder_name=line.get("funder_name", ""),
                    nature=line.get("nature", "fonctionnement"),
                    planned=self.dec(line.get("planned"), line_where),
                    actual=self.dec(line.get("actual"), line_where),
                    is_caf_means=bool(line.get("is_caf_means")),
                    note=line.get("note", ""),
                ),
                line_where,
            )

    def _open_item(self, model, label: str):
        """A priority or methodology by label, matched without regard to case or accents; created if new."""
        known = self._open_lists.setdefault(model, open_list_known(model))
        try:
            item, created = open_list_value(model=model, label=label, known=known)
        except ValidationError as exc:
            self.error(f"{model._meta.verbose_name} « {label.strip()} »", " ".join(exc.messages))
            return None
        if created:
            self.warnings.append(f"{model._meta.verbose_name.capitalize()} créée : « {label.strip()} ».")
        return item

    def indicator(self, convention, action, item: dict, order: int, where: str) -> None:
        indicator = self.save(
            Indicator(
                convention=convention,
                action=action,
                label=item.get("label", ""),
                kind=item.get("kind", "quantitatif"),
                unit=item.get("unit", ""),
                baseline_value=self.dec(item.get("baseline_value"), where),
                baseline_year=item.get("baseline_year"),
                target_value=self.dec(item.get("target_value"), where),
                target_year=item.get("target_year"),
                direction=item.get("direction", ""),
                order=order,
            ),
            where,
        )
        if indicator.pk is None:
            return
        seen = set()
        for value in item.get("measurements", []):
            period = (value.get("year"), value.get("quarter"))
            value_where = f"{where}, valeur {value.get('year')}" + (
                f" T{value['quarter']}" if value.get("quarter") else ""
            )
            if period in seen:
                self.error(value_where, "deux valeurs pour la même période.")
                continue
            seen.add(period)
            self.save(
                Measurement(
                    indicator=indicator,
                    year=value.get("year"),
                    quarter=value.get("quarter"),
                    value=self.dec(value.get("value"), value_where),
                    text=value.get("text", ""),
                    source=value.get("source", ""),
                    comment=value.get("comment", ""),
                    author=self.user(value.get("author")),
                ),
                value_where,
            )

    def committees(self, convention, items, actions) -> dict[tuple[str, str], Meeting]:
        """The meetings created, by (committee name, ISO date), in the file's order."""
        meetings: dict[tuple[str, str], Meeting] = {}
        for order, item in enumerate(items, start=1):
            where = f"instance « {item.get('name', order)} »"
            committee = self.save(
                Committee(
                    convention=convention,
                    kind=item.get("kind", "copil"),
                    name=item.get("name", ""),
                    missions=item.get("missions", ""),
                    frequency=item.get("frequency", ""),
                    order=order,
                ),
                where,
            )
            if committee.pk is None:
                continue
            for rank, member in enumerate(item.get("members", []), start=1):
                self.save(
                    CommitteeMember(
                        committee=committee,
                        person=member.get("person", ""),
                        organisation=member.get("organisation", ""),
                        role=member.get("role", ""),
                        user=self.user(member.get("user")),
                        order=rank,
                    ),
                    f"{where}, membre {rank}",
                )
            for meeting_data in item.get("meetings", []):
                meeting_where = f"{where}, réunion du {meeting_data.get('date')}"
                meeting = self.save(
                    Meeting(
                        committee=committee,
                        date=self.d(meeting_data.get("date"), meeting_where),
                        place=meeting_data.get("place", ""),
                        attendees=meeting_data.get("attendees", ""),
                        agenda=meeting_data.get("agenda", ""),
                        minutes=meeting_data.get("minutes", ""),
                        decisions=meeting_data.get("decisions", ""),
                    ),
                    meeting_where,
                )
                linked = []
                for reference in meeting_data.get("actions", []):
                    if reference in actions:
                        if actions[reference].pk:  # a fiche that failed is already reported
                            linked.append(actions[reference])
                    else:
                        self.error(meeting_where, f"fiche-action inconnue « {reference} ».")
                if meeting.pk:
                    meeting.actions.set(linked)
                    meetings.setdefault((committee.name, str(meeting_data.get("date"))), meeting)
        return meetings

    def amendments(self, convention, items) -> None:
        for item in items:
            where = f"avenant {item.get('number')}"
            self.save(
                Amendment(
                    convention=convention,
                    number=item.get("number"),
                    signed_on=self.d(item.get("signed_on"), where),
                    object=item.get("object", ""),
                    changes=item.get("changes", ""),
                    snapshot=item.get("snapshot"),
                ),
                where,
            )

    def ao_competences(self, convention, items) -> None:
        for order, item in enumerate(items, start=1):
            where = f"compétence AO {order}"
            self.save(
                AoCompetence(
                    convention=convention,
                    commune=self.commune(item.get("commune"), where),
                    epci=self.epci(item.get("epci"), where),
                    population=item.get("population"),
                    census=item.get("census", "inconnu"),
                    inform=item.get("inform", "inconnu"),
                    plan=item.get("plan", "inconnu"),
                    quality=item.get("quality", "inconnu"),
                    transfer_detail=item.get("transfer_detail", ""),
                    has_schema=bool(item.get("has_schema")),
                    has_rpe=bool(item.get("has_rpe")),
                ),
                where,
            )

    def review_meeting(self, item: dict, meetings: dict[tuple[str, str], Meeting], where: str) -> Meeting | None:
        reference = item.get("meeting")
        if reference:
            key = (reference.get("committee", ""), str(reference.get("date")))
            if key not in meetings:
                self.error(where, f"réunion inconnue (instance « {key[0]} », {key[1]}).")
            return meetings.get(key)
        if item.get("meeting_date"):
            # Older files give only the date (the demo files among them): the first meeting held that day.
            day = str(item["meeting_date"])
            found = next((m for (_, date_), m in meetings.items() if date_ == day), None)
            if found is None:
                self.error(where, f"aucune réunion le {day}.")
            return found
        return None

    def reviews(self, convention, items, meetings) -> None:
        for item in items:
            where = f"bilan {item.get('kind')} {item.get('year')}"
            self.save(
                Review(
                    convention=convention,
                    kind=item.get("kind", "annuel"),
                    year=item.get("year"),
                    version=item.get("version", 1),
                    status=item.get("status", "brouillon"),
                    summary=item.get("summary", ""),
                    decisions=item.get("decisions", ""),
                    meeting=self.review_meeting(item, meetings, where),
                    snapshot=item.get("snapshot"),
                    validated_at=self.dt(item.get("validated_at"), where),
                    validated_by=self.user(item.get("validated_by")),
                ),
                where,
            )


def convention_import(*, data: dict) -> tuple[Convention, list[str]]:
    """Create a convention from a Convention JSON document, all or nothing.

    Returns the convention and French warnings (open-list entries created, inactive accounts created).
    Raises ConventionFileError with every problem found, each naming its place in the file.
    """
    importer = _Importer(data)
    with transaction.atomic():
        convention = importer.run()
    return convention, importer.warnings
