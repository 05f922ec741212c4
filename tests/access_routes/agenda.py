from . import AUTHENTICATED, SCOPED, SECRET, Route, convention_pk


def wrong_token(victim: dict) -> dict:
    """Not the token of anyone: the victim's members have theirs, never shown to strangers."""
    return {"token": "pas-le-bon-jeton-0123456789abcdefghijklmnopqrstu"}


ROUTES = {
    "agenda:calendar": Route(AUTHENTICATED),
    "agenda:feed": Route(SECRET, wrong_token),
    "agenda:convention_calendar": Route(SCOPED, convention_pk),
    "agenda:account": Route(AUTHENTICATED),
    "agenda:feed_regenerate": Route(AUTHENTICATED),
}
