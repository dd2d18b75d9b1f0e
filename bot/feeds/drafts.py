"""A finished Picture as a Draft for one feed: fitted text, alt text, an image under the cap.
An animation goes up as its MP4 (a video on the service), under the service's video limit.
Pure (Pillow, PyAV on the picture's bytes): callers on the event loop run it in a thread."""

from __future__ import annotations

from bot.feeds.alt import alt_text
from bot.feeds.content import post_text
from bot.feeds.image import fit
from bot.feeds.poster import Draft, Mention, Poster
from bot.pipeline import Picture
from bot.web.links import permalink


def draft(
    poster: Poster,
    picture: Picture,
    headline: str,
    key: str,
    at: float,
    reply_to: Mention | None = None,
    site: str = "",
) -> Draft:
    """The post for `picture` on this poster's service (hashtags from its feed's settings), with
    a link to its page on the web site at `site` (the web_public_url setting; "": none)."""
    tags = poster.config.hashtags
    return Draft(
        text=post_text(headline, picture, tags, poster.limits, permalink(site, picture.code)),
        key=key,
        upload=fit(picture, poster.max_image_bytes, poster.max_video_bytes),
        alt=alt_text(picture, poster.limits),
        reply_to=reply_to,
        at=at,
    )
