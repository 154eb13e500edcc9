"""Readable questionnaire ids for imported frameworks, and what to suggest when an id is taken.

An id is derived from what the document says about itself — a short name or identifier when it has
one, else its title with the usual long phrases shortened ("Special Publication" → "SP", "Revision
5.1.1" → "r5", "Cybersecurity Framework" → "CSF", "Secure Software Development Framework (SSDF)" →
"SSDF") — and is at most MAX_ID_CHARS characters, cut at a word boundary:
`Electronic Version of NIST Cybersecurity Framework 2.0` → `nist-csf-2.0`,
`NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE` → `nist-sp-800-53-r5-moderate`.
"""

from __future__ import annotations

import re
from typing import Iterable

MAX_ID_CHARS = 40

_SMALL_WORDS = {"of", "and", "the", "for", "a", "an", "in", "on", "to", "&"}

# Long phrases and their usual short forms; applied in order, case-insensitively.
_SHORTER: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), r) for p, r in (
    (r"\belectronic\s+(?:oscal\s+)?(?:version|edition|representation)\s+of\s+(?:the\s+)?", ""),
    (r"\boscal\s+(?:version|edition|representation)\s+of\s+(?:the\s+)?", ""),
    (r"\b(?:in|as)\s+oscal\b", ""),
    (r"\bspecial\s+publication\b", "SP"),
    (r"\brevision\s+(\d+)(?:\.\d+)*", r"r\1"),
    (r"\brev\.?\s*(\d+)(?:\.\d+)*", r"r\1"),
    (r"\bcybersecurity\s+framework\b", "CSF"),
    (r"\s+impact\s+baseline\b", ""),
    (r"\s+baseline\b", ""),
    (r"\bversion\s+(\d)", r"\1"),
))
_ACRONYM = re.compile(r"\(([A-Za-z][A-Za-z0-9&-]{1,11})\)")
_UNSLUGGABLE = re.compile(r"[^a-z0-9.]+")


def _initials_match(words: list[str], acronym: str) -> int:
    """How many words at the end of `words` spell `acronym` by their initials (small words may be
    skipped), or 0 when they do not."""
    letters = [c for c in acronym.casefold() if c.isalnum()]
    position, taken = len(letters), 0
    for word in reversed(words):
        if position == 0:
            break
        initial = word[:1].casefold()
        if position and initial == letters[position - 1]:
            position -= 1
        elif word.casefold() not in _SMALL_WORDS:
            return 0
        taken += 1
    return taken if position == 0 else 0


def _collapse_acronyms(title: str) -> str:
    """'Secure Software Development Framework (SSDF) Version 1.1' → 'SSDF Version 1.1'."""
    while True:
        match = _ACRONYM.search(title)
        if not match:
            return title
        before = title[:match.start()].split()
        taken = _initials_match(before, match.group(1))
        if not taken:
            # an acronym that does not spell the words before it is still a name: keep it, drop the brackets
            title = title[:match.start()] + match.group(1) + title[match.end():]
            continue
        kept = " ".join(before[:len(before) - taken])
        title = (kept + " " if kept else "") + match.group(1) + title[match.end():]


def shorten_title(title: str) -> str:
    """A document title in its usual short form (see the module docstring); the subtitle after a colon
    is dropped when what is before it reads as a name on its own."""
    text = " ".join(title.split())
    text = _collapse_acronyms(text)
    head, colon, _tail = text.partition(":")
    if colon and len(head.split()) >= 2:
        text = head
    for pattern, short in _SHORTER:
        text = pattern.sub(short, text)
    return " ".join(text.split())


def slug_id(text: str, limit: int = MAX_ID_CHARS) -> str:
    """Lower-case words joined by '-', at most `limit` characters, cut at a word boundary."""
    words = [w for w in _UNSLUGGABLE.split(text.casefold()) if w.strip(".")]
    words = [w.strip(".") for w in words]
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            if not out:  # a single overlong word: cut it, better than nothing
                out = word[:limit]
            break
        out = candidate
    return out


def readable_id(*candidates: str | None, prefix: str = "") -> str:
    """The first candidate (a short name, an identifier, a title) that gives a usable id; titles are
    shortened first. `prefix` (e.g. the publisher's short name) is put in front unless already there."""
    for candidate in candidates:
        if not candidate or not str(candidate).strip():
            continue
        slug = slug_id(shorten_title(str(candidate)))
        if not slug:
            continue
        head = slug_id(prefix)
        if head and not (slug == head or slug.startswith(head + "-")):
            slug = slug_id(f"{head} {shorten_title(str(candidate))}")
        return slug
    return ""


def suggest_free_id(wanted: str, taken: Iterable[str], hint: str = "") -> str:
    """An id close to `wanted` that is not in `taken`: `<wanted>-<hint>`, then numbered."""
    used = {t.casefold() for t in taken}
    base = wanted[:MAX_ID_CHARS].rstrip("-.")
    candidates = ([f"{base}-{hint}"] if hint else []) + [f"{base}-{n}" for n in range(2, 1000)]
    for candidate in candidates:
        if candidate.casefold() not in used:
            return candidate
    return f"{base}-{len(used) + 1}"
