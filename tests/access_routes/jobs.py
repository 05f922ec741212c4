from . import PUBLIC, SCOPED, Route


def demo_job(victim: dict) -> dict:
    """The test job kind « demo », keyed by the victim convention (tests/jobs/kinds.py)."""
    return {"kind": "demo", "key": str(victim["convention"].pk)}


ROUTES = {
    "jobs:status": Route(SCOPED, demo_job),
    "jobs:request": Route(SCOPED, demo_job),
    "jobs:download": Route(SCOPED, demo_job),
    "health": Route(PUBLIC),
}
