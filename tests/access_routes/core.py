from . import AUTHENTICATED, PUBLIC, SCOPED, Route, convention_pk

ROUTES = {
    "accounts:login": Route(PUBLIC),
    "accounts:logout": Route(PUBLIC),
    "accounts:twofactor_verify": Route(PUBLIC),  # the code step of the login: a pending login or nothing
    "accounts:twofactor_enrol": Route(AUTHENTICATED),  # one's own device
    "accounts:twofactor_recovery_codes": Route(AUTHENTICATED),
    "accounts:twofactor_disable": Route(AUTHENTICATED),
    "password_reset": Route(PUBLIC),
    "accounts:password_reset_done": Route(PUBLIC),
    # A wrong or used link shows « Lien expiré ou déjà utilisé » (200), not a 404: the person asks another.
    "accounts:password_set": Route(PUBLIC, lambda victim: {"uidb64": "MQ", "token": "mauvais-jeton"}),
    "conventions:home": Route(AUTHENTICATED),
    "core:accessibility": Route(PUBLIC),
    "core:legal": Route(PUBLIC),
    "core:contact": Route(PUBLIC),
    "conventions:detail": Route(SCOPED, convention_pk),
    # A section of the convention page, loaded on demand or printed alone.
    "conventions:section": Route(SCOPED, lambda victim: {**convention_pk(victim), "section": "texte"}),
}
