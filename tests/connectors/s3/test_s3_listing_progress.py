"""A large bucket's listing shows on the terminal's progress bars as it goes (objects listed
so far), over real HTTP to moto: before, nothing moved until the listing was done, minutes for
millions of objects. Progress goes to the progress sink (stderr on a terminal only), never
into the result."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from s3_server import make_bucket, scan_with

import pia.connectors.s3.listing as s3_listing
from pia.cli.progress import RichProgress


def test_objects_listed_are_counted_as_they_come(s3, ctx, moto_endpoint, monkeypatch) -> None:
    monkeypatch.setattr(s3_listing, "LISTING_STEP", 10)
    make_bucket(s3, "many")
    for i in range(25):
        s3.put_object(Bucket="many", Key=f"p{i % 3}/k{i:02d}.log", Body=b"ok\n")
    events: list[tuple[str, str, int | None]] = []
    progress = SimpleNamespace(  # records what it is told
        start=lambda what, total=None: events.append(("start", what, total)),
        advance=lambda what, amount=1: events.append(("advance", what, amount)))
    result = scan_with(replace(ctx, progress=progress), moto_endpoint, "s3://many",
                       extra={"max_objects": 2})
    listed = [e for e in events if e[1] == "listed"]
    # every 10 objects while listing, the rest at its end; then the bar completes at 25
    assert listed == [("advance", "listed", 10), ("advance", "listed", 10),
                      ("advance", "listed", 5), ("start", "listed", 25)]
    # said before the objects are read
    assert events.index(("start", "listed", 25)) < events.index(("start", "objects", 6))
    assert result.facts[0]["attributes"]["objects_listed"] == 25


def test_the_listed_bar_is_named_in_the_language() -> None:
    assert [RichProgress(lang).label("listed") for lang in ("zh", "en")] == [
        "已列出对象", "objects listed"]
