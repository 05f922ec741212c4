"""Bilans: everyone who reads the convention reads and downloads them; those who follow it up write them."""

from . import FOLLOW_UP, SCOPED, Route, convention_pk


def review(victim: dict) -> dict:
    return {"convention_pk": victim["convention"].pk, "review_pk": victim["review"].pk}


ROUTES = {
    "evaluation:reviews": Route(SCOPED, convention_pk),
    "evaluation:review_create": Route(FOLLOW_UP, convention_pk),
    "evaluation:review_detail": Route(SCOPED, review),
    "evaluation:review_edit": Route(FOLLOW_UP, review),
    "evaluation:review_validate": Route(FOLLOW_UP, review),
    "evaluation:review_new_version": Route(FOLLOW_UP, review),
    "evaluation:review_pdf": Route(SCOPED, review),
    "evaluation:review_xlsx": Route(SCOPED, review),
}
