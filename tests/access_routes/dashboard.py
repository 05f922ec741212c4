from . import ADVISERS, Route

ROUTES = {
    "dashboard:dashboard": Route(ADVISERS),
    "dashboard:export": Route(ADVISERS, lambda victim: {"table": "communes-non-couvertes"}),
}
