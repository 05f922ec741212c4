from . import AUTHENTICATED, PUBLIC, SCOPED, Route, convention_pk

ROUTES = {
    "accounts:login": Route(PUBLIC),
    "accounts:logout": Route(PUBLIC),
    "password_reset": Route(PUBLIC),
    "accounts:password_reset_done": Route(PUBLIC),
    # A wrong or used link shows « Lien expiré ou déjà utilisé » (200), not a 404: the person asks another.
    "accounts:password_set": Route(PUBLIC, lambda victim: {"uidb64": "MQ", "token": "mauvais-jeton"}),
    "conventions:home": Route(AUTHENTICATED),
    "core:accessibility": Route(PUBLIC),
    "core:legal": Route(PUBLIC),
    "core:contact": Route(PUBLIC),
    "conventions:detail": Route(SCOPED, convention_pk),
}
