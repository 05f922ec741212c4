from django import template

from ..kinds import get_job_kind
from ..panel import job_panel

register = template.Library()


@register.inclusion_tag("jobs/_status.html", takes_context=True)
def job_status(context, kind: str, key) -> dict:
    """``{% job_status "convention_pdf" convention.pk %}``: the job's state, polled by htmx until it is ready."""
    return {"panel": job_panel(kind=get_job_kind(kind), key=str(key)), "csrf_token": context.get("csrf_token")}
