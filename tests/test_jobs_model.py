"""The job's plain data: a queued job survives the store and Redis as it was accepted, and a
result carries its recipe (callers never parse the code back)."""

from __future__ import annotations

import json

from bot.art.recipe import Recipe
from bot.forms import Form
from bot.jobs.model import JobResult, Owner, Priority, QueuedJob
from bot.pipeline import PaintSpec, Picture


def _job() -> QueuedJob:
    spec = PaintSpec(Recipe(seed=5, layers=12, w=640, h=360), custom_quote="Mine.", byte_limit=9)
    owner = Owner(user=1, guild=2, channel=3, message=4)
    return QueuedJob(spec=spec, owner=owner, priority=Priority.SCHEDULED)


def test_a_queued_job_round_trips_through_its_store_row_and_its_dict():
    job = _job()
    assert QueuedJob.from_row(job.to_row()) == job
    assert QueuedJob.from_dict(json.loads(json.dumps(job.to_dict()))) == job
    row = job.to_row()
    assert (row.status, row.owner, row.guild, row.channel, row.message) == ("queued", 1, 2, 3, 4)
    assert row.code == "2-5-d12s640x360q" and row.custom_quote == "Mine." and row.byte_limit == 9


def test_an_animation_or_a_grid_keeps_its_form_through_the_store_and_redis():
    for form in (Form.loop(seconds=2.5, fps=12), Form.grid("strong")):
        job = QueuedJob(
            spec=PaintSpec(Recipe(seed=5), byte_limit=50_000, form=form), owner=Owner(1)
        )
        assert job.to_row().form == form.text != ""
        assert QueuedJob.from_row(job.to_row()).spec.form == form
        assert QueuedJob.from_dict(json.loads(json.dumps(job.to_dict()))).spec.form == form
    assert _job().to_row().form == ""  # a still, as every job before


def test_a_result_carries_its_recipe_and_travels_as_plain_data():
    recipe = Recipe(seed=5, layers=12, w=640, h=360)
    picture = Picture(
        data=b"png", mime="image/png", width=640, height=360, recipe=recipe, quote="Q.",
        attribution=None, quote_engine="aphorism", note="", placement="bottom",
        timings={"render": 0.5},
    )  # fmt: skip
    assert picture.code == "2-5-d12s640x360"
    result = JobResult(picture=picture, device="cpu", versions={"bot": "x"}, batch=2, wait_s=0.1)
    wire = result.to_dict()
    assert wire["picture"]["code"] == "2-5-d12s640x360" and "recipe" not in wire["picture"]
    assert JobResult.from_dict(wire) == result
    assert JobResult.from_dict(wire).picture.recipe == recipe
