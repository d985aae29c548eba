"""The study window and the hashtag rule: which posts count."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class WindowError(ValueError):
    """An impossible window (bad date, end before start, unknown time zone)."""


def parse_date(value: str | date | None, what: str) -> date | None:
    """``YYYY-MM-DD`` (or a date) to a date; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise WindowError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class Window:
    """Inclusive date window [start, end] in time zone ``tz`` (either end may be open)."""

    start: date | None = None
    end: date | None = None
    tz: str = "UTC"

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise WindowError(f"unknown time zone: {self.tz!r}") from None
        if self.start and self.end and self.end < self.start:
            raise WindowError(f"window end {self.end} is before its start {self.start}")

    @classmethod
    def from_strings(
        cls, start: str | date | None, end: str | date | None, tz: str | None = None
    ) -> Window:
        return cls(parse_date(start, "start"), parse_date(end, "end"), tz or "UTC")

    @property
    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """Start (inclusive) and end (exclusive: the day after ``end``) as aware datetimes."""
        zone = ZoneInfo(self.tz)
        lo = datetime.combine(self.start, time(0), zone) if self.start else None
        hi = datetime.combine(self.end + timedelta(days=1), time(0), zone) if self.end else None
        return lo, hi

    def contains(self, moment: datetime) -> bool:
        lo, hi = self.bounds
        return (lo is None or moment >= lo) and (hi is None or moment < hi)

    def describe(self) -> str:
        if not self.start and not self.end:
            return "all dates"
        return f"{self.start or 'the first post'} to {self.end or 'the last post'} ({self.tz})"


def normalise_hashtag(tag: str | None) -> str | None:
    """``#DataSavesLives`` -> ``datasaveslives``; empty -> None (keep every post)."""
    if tag is None:
        return None
    tag = unicodedata.normalize("NFKC", tag).strip().lstrip("#").casefold()
    if not tag:
        return None
    if not re.fullmatch(r"\w+", tag):
        raise WindowError(f"hashtag {tag!r} must be letters, digits or underscores")
    return tag


class HashtagMatcher:
    """Does a post's body carry the hashtag? Case-insensitive, whole tag only."""

    def __init__(self, tag: str | None) -> None:
        self.tag = normalise_hashtag(tag)
        self._re = re.compile(rf"(?<![\w&])#{re.escape(self.tag)}(?!\w)") if self.tag else None

    def __call__(self, full_text: str | None, hashtags: list[str] | None = None) -> bool:
        if self._re is None:
            return True
        if hashtags and self.tag in hashtags:
            return True
        text = unicodedata.normalize("NFKC", full_text or "").casefold()
        return bool(self._re.search(text))
