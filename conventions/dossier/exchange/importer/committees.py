"""The committees, their members and meetings (a meeting names the fiches it discussed)."""

from ....models import Committee, CommitteeMember, Meeting
from .context import ImportContext, fields


def import_committees(ctx: ImportContext, convention, items, actions) -> dict[tuple[str, str], Meeting]:
    """The meetings created, by (committee name, ISO date), in the file's order."""
    meetings: dict[tuple[str, str], Meeting] = {}
    for order, item in enumerate(items, start=1):
        where = f"instance « {item.get('name', order)} »"
        committee = ctx.save(
            Committee(
                convention=convention,
                **fields(item, kind="copil", name="", missions="", frequency=""),
                order=order,
            ),
            where,
        )
        if committee.pk is None:
            continue
        for rank, member in enumerate(item.get("members", []), start=1):
            ctx.save(
                CommitteeMember(
                    committee=committee,
                    **fields(member, person="", organisation="", role=""),
                    user=ctx.user(member.get("user")),
                    order=rank,
                ),
                f"{where}, membre {rank}",
            )
        for meeting_data in item.get("meetings", []):
            meeting_where = f"{where}, réunion du {meeting_data.get('date')}"
            meeting = ctx.save(
                Meeting(
                    committee=committee,
                    date=ctx.d(meeting_data.get("date"), meeting_where),
                    **fields(meeting_data, place="", attendees="", agenda="", minutes="", decisions=""),
                ),
                meeting_where,
            )
            linked = []
            for reference in meeting_data.get("actions", []):
                if reference in actions:
                    if actions[reference].pk:  # a fiche that failed is already reported
                        linked.append(actions[reference])
                else:
                    ctx.error(meeting_where, f"fiche-action inconnue « {reference} ».")
            if meeting.pk:
                meeting.actions.set(linked)
                meetings.setdefault((committee.name, str(meeting_data.get("date"))), meeting)
    return meetings
