from . import AUTHENTICATED, PUBLIC, SCOPED, Route, convention_pk

ROUTES = {
    "accounts:login": Route(PUBLIC),
    "accounts:logout": Route(PUBLIC),
    "conventions:home": Route(AUTHENTICATED),
    "core:accessibility": Route(PUBLIC),
    "core:legal": Route(PUBLIC),
    "core:contact": Route(PUBLIC),
    "conventions:detail": Route(SCOPED, convention_pk),
}
