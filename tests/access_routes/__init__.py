"""Access rules per URL name, one module per area; tests/test_access.py merges them all.

Kinds:
- PUBLIC: reachable without logging in (login page).
- AUTHENTICATED: any logged-in user; lists only what the user may see.
- ADVISERS: open to Caf advisers (for their own Caf) and administrators; other roles get 403.
- SECRET: no login, a secret token in the URL is the credential (the .ics feed): a wrong token is 404 for
  everyone, logged in or not.
- SCOPED: reads one convention: strangers get 404.
- FOLLOW_UP: writes follow-up data: strangers get 404, the convention's COPIL members get 403.
- EDIT: writes the convention's text, annexes or plan: strangers get 404, the convention's COPIL members
  and chargés de coopération get 403.

`kwargs` receives the victim dict built in tests/test_access.py (convention, party, representative, clause,
key_figure, issue, supported_equipment, committee, committee_member, meeting, orientation, axis,
objective, action, indicator, measurement, amendment, review, status_update, budget_line) and returns the
URL kwargs.
"""

import dataclasses
from collections.abc import Callable

PUBLIC = "public"
AUTHENTICATED = "authenticated"
ADVISERS = "advisers"
SECRET = "secret"
SCOPED = "scoped"
FOLLOW_UP = "follow_up"
EDIT = "edit"


@dataclasses.dataclass(frozen=True)
class Route:
    kind: str
    kwargs: Callable[[dict], dict] = lambda victim: {}


def convention_pk(victim: dict) -> dict:
    return {"convention_pk": victim["convention"].pk}
