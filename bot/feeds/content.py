"""What a feed post says, fitted to each service: pure functions of a Picture and plain values.

A post reads: a headline (the piece of the day's date, or the person asked, by handle), the quote
and its attribution, the recipe in words, the replay code (anyone can `/replay` it, or mention
the bot with `replay CODE`) and the painting's page on the web site when it has a public address
(bot.web.permalink), the hashtags. Mastodon counts characters (500, or the instance's limit),
Bluesky graphemes (300): what does not fit is cut from the recipe line, then the quote, never the
headline, code, link or hashtags. Bluesky wants hashtags, links and mentions as facets with UTF-8
byte offsets (facets()).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import regex

from bot.describe import describe_recipe
from bot.pipeline import Picture

ELLIPSIS = "…"
_GRAPHEME = regex.compile(r"\X")
_TAG = re.compile(r"(?<![\w#])#(\w{1,64})")
_LINK = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")
_MENTION = re.compile(r"(?<![\w@])@([a-zA-Z0-9][a-zA-Z0-9.-]*[a-zA-Z0-9])")


@dataclass(frozen=True)
class TextLimits:
    """How a service measures a post: at most `max_text` units, graphemes or characters."""

    max_text: int
    graphemes: bool  # Bluesky counts graphemes; Mastodon characters (counting code points is safe)
    max_alt: int


MASTODON_LIMITS = TextLimits(max_text=500, graphemes=False, max_alt=1500)
BLUESKY_LIMITS = TextLimits(max_text=300, graphemes=True, max_alt=2000)


@dataclass(frozen=True)
class Facet:
    """A span of a Bluesky post's text, in UTF-8 bytes: a hashtag, a link or a mention."""

    start: int
    end: int
    kind: str  # tag | link | mention
    value: str  # the tag without '#', the URL, or the mentioned account's DID

    def to_record(self) -> dict:
        feature = {
            "tag": {"$type": "app.bsky.richtext.facet#tag", "tag": self.value},
            "link": {"$type": "app.bsky.richtext.facet#link", "uri": self.value},
            "mention": {"$type": "app.bsky.richtext.facet#mention", "did": self.value},
        }[self.kind]
        return {"index": {"byteStart": self.start, "byteEnd": self.end}, "features": [feature]}


def graphemes(text: str) -> list[str]:
    """The user-perceived characters (extended grapheme clusters, Unicode UAX #29)."""
    return _GRAPHEME.findall(text)


def length(text: str, limits: TextLimits) -> int:
    return len(graphemes(text)) if limits.graphemes else len(text)


def shorten(text: str, most: int, limits: TextLimits) -> str:
    """`text` cut to at most `most` units, ending in an ellipsis when cut (never mid-grapheme)."""
    if length(text, limits) <= most:
        return text
    if most <= 0:
        return ""
    units = graphemes(text)[: most - 1] if limits.graphemes else list(text[: most - 1])
    return "".join(units).rstrip() + ELLIPSIS


def quote_line(p: Picture) -> str:
    if not p.quote:
        return ""
    return f"“{p.quote}”" + (f" — {p.attribution}" if p.attribution else "")


def hashtag_line(tags: tuple[str, ...]) -> str:
    return " ".join(f"#{t.lstrip('#')}" for t in tags)


def daily_headline(day: date) -> str:
    return f"Piece of the day · {day.day} {day:%B %Y}"


def reply_headline(handle: str, animation: bool = False) -> str:
    """The only account a reply names is the one who asked."""
    return f"@{handle} here is your {'animation' if animation else 'painting'}."


def post_text(
    headline: str, p: Picture, tags: tuple[str, ...], limits: TextLimits, link: str | None = None
) -> str:
    """The whole post, fitted: recipe words dropped, then the quote shortened, if need be.
    `link`: the painting's page (counted whole, though Mastodon counts any URL as 23)."""
    code = f"Replay code: {p.code}" + (f"\n{link}" if link else "")
    recipe = describe_recipe(p.recipe)
    quote = quote_line(p)
    tail = hashtag_line(tags)

    def text(quote: str, recipe: str) -> str:
        body = "\n".join(x for x in (recipe, code) if x)
        return "\n\n".join(x for x in (headline, quote, body, tail) if x)

    if length(text(quote, recipe), limits) <= limits.max_text:
        return text(quote, recipe)
    room = limits.max_text - length(text("", recipe), limits) - 2  # the "\n\n" before a quote
    if quote and room >= 40:  # a quote cut shorter than this says nothing
        return text(shorten(quote, room, limits), recipe)
    room = limits.max_text - length(text("", ""), limits) - 2
    fitted = text(shorten(quote, room, limits) if room >= 20 else "", "")
    return (
        fitted
        if length(fitted, limits) <= limits.max_text
        else shorten(fitted, limits.max_text, limits)
    )


def error_reply(handle: str, message: str, limits: TextLimits) -> str:
    """A short answer to a request that cannot be painted: what was wrong, to the one who asked."""
    text = f"@{handle} I could not paint that: {message}"
    text = text if text.endswith((".", "!", "?")) else text + "."
    return shorten(text, limits.max_text, limits)


def facets(text: str, mentions: dict[str, str] | None = None) -> list[Facet]:
    """Hashtags, links and mentions (of the handles given, with their DIDs) in `text`, with UTF-8
    byte offsets as Bluesky's rich text wants them, in order."""
    found: list[Facet] = []
    for m in _TAG.finditer(text):
        found.append(_facet(text, m.start(), m.end(), "tag", m.group(1)))
    for m in _LINK.finditer(text):
        found.append(_facet(text, m.start(), m.end(), "link", m.group(0)))
    for m in _MENTION.finditer(text):
        did = (mentions or {}).get(m.group(1).lower())
        if did:
            found.append(_facet(text, m.start(), m.end(), "mention", did))
    return sorted(found, key=lambda f: f.start)


def _facet(text: str, start: int, end: int, kind: str, value: str) -> Facet:
    byte_start = len(text[:start].encode("utf-8"))
    return Facet(byte_start, byte_start + len(text[start:end].encode("utf-8")), kind, value)
