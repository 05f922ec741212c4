"""The reviews (bilans), each tied to the meeting that examined it."""

from evaluation.models import Review

from ....models import Meeting
from .context import ImportContext


def review_meeting(
    ctx: ImportContext, item: dict, meetings: dict[tuple[str, str], Meeting], where: str
) -> Meeting | None:
    reference = item.get("meeting")
    if reference:
        key = (reference.get("committee", ""), str(reference.get("date")))
        if key not in meetings:
            ctx.error(where, f"réunion inconnue (instance « {key[0]} », {key[1]}).")
        return meetings.get(key)
    if item.get("meeting_date"):
        # Older files give only the date (the demo files among them): the first meeting held that day.
        day = str(item["meeting_date"])
        found = next((m for (_, date_), m in meetings.items() if date_ == day), None)
        if found is None:
            ctx.error(where, f"aucune réunion le {day}.")
        return found
    return None


def import_reviews(ctx: ImportContext, convention, items, meetings) -> None:
    for item in items:
        where = f"bilan {item.get('kind')} {item.get('year')}"
        ctx.save(
            Review(
                convention=convention,
                kind=item.get("kind", "annuel"),
                year=item.get("year"),
                version=item.get("version", 1),
                status=item.get("status", "brouillon"),
                summary=item.get("summary", ""),
                decisions=item.get("decisions", ""),
                meeting=review_meeting(ctx, item, meetings, where),
                snapshot=item.get("snapshot"),
                validated_at=ctx.dt(item.get("validated_at"), where),
                validated_by=ctx.user(item.get("validated_by")),
            ),
            where,
        )
