"""A 405 names in its Allow header every method the path accepts (RFC 9110 §15.5.6), as the
OpenAPI document lists them, though each method of a path is a route of its own."""

from __future__ import annotations

from uuid import uuid4

from tests.builders import assert_problem


def documented(app, template: str) -> set[str]:
    return {method.upper() for method in app.openapi()["paths"][template]}


async def test_a_405_on_reviews_paths_lists_get_beside_post(review):
    task = uuid4()
    for method, path, template in (("PUT", "/api/v1/committee/sessions", "/api/v1/committee/sessions"),
                                   ("DELETE", f"/api/v1/tasks/{task}/opinions", "/api/v1/tasks/{task_id}/opinions")):
        answer = await review.client.request(method, path, headers=review.auth("supervisor", sub="chief"))
        assert_problem(answer, 405)
        assert set(answer.headers["allow"].split(", ")) == documented(review.app, template) == {"GET", "POST"}


async def test_a_405_on_intakes_drafts_lists_get_and_put(intake):
    answer = await intake.client.post(f"/api/v1/drafts/{uuid4()}", json={})
    assert answer.status_code == 405 and answer.headers["content-type"] == "application/problem+json"
    assert set(answer.headers["allow"].split(", ")) == {"GET", "PUT"}
