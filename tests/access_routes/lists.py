from . import AUTHENTICATED, Route

ROUTES = {
    "conventions:list": Route(AUTHENTICATED),
    "conventions:list_export": Route(AUTHENTICATED),
}
