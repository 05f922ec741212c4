"""Annex: the equipment the convention supports (an equipment is reused when it exists)."""

from django.utils.text import slugify

from territories.models import Equipment, EquipmentKind

from ....models import Convention, Party, SupportedEquipment
from .context import ImportContext


def import_equipment(ctx: ImportContext, convention: Convention, items: list[dict], parties: dict[str, Party]) -> None:
    kinds = {k.code: k for k in EquipmentKind.objects.all()}
    for order, item in enumerate(items, start=1):
        where = f"équipement {order} « {item.get('name', '')} »"
        code = item.get("kind") or slugify(item.get("kind_label", ""))
        if code not in kinds:
            kinds[code], _ = EquipmentKind.objects.get_or_create(
                code=code, defaults={"label": item.get("kind_label") or code, "order": 100}
            )
        commune = ctx.commune(item.get("commune"), where)
        if commune is None:
            continue
        equipment = Equipment.objects.filter(
            kind=kinds[code], commune=commune, name=item.get("name", ""), address=item.get("address", "")
        ).first() or ctx.save(
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
                ctx.error(where, f"signataire inconnu « {item['supported_by']} ».")
        ctx.save(
            SupportedEquipment(
                convention=convention,
                equipment=equipment,
                supported_by=supported_by,
                financing_note=item.get("financing_note", ""),
                order=order,
            ),
            where,
        )
