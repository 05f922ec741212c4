from . import AUTHENTICATED, PUBLIC, SCOPED, Route, convention_pk

ROUTES = {
    "accounts:login": Route(PUBLIC),
    "accounts:logout": Route(PUBLIC),
    "accounts:twofactor_verify": Route(PUBLIC),  # the code step of the login: a pending login or nothing
    "accounts:twofactor_enrol": Route(AUTHENTICATED),  # one's own device
    "accounts:twofactor_recovery_codes": Route(AUTHENTICATED),
    "accounts:twofactor_disable": Route(AUTHENTICATED),
    "conventions:home": Route(AUTHENTICATED),
    "core:accessibility": Route(PUBLIC),
    "core:legal": Route(PUBLIC),
    "core:contact": Route(PUBLIC),
    "conventions:detail": Route(SCOPED, convention_pk),
}
