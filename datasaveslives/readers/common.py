"""Pieces shared by every reader: results, errors, dates, entity lists."""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

# Twitter launched on 2006-03-21; nothing posted before then is real.
EARLIEST = datetime(2006, 3, 21, tzinfo=UTC)
# Allow a day of clock skew past "now"; later dates are impossible.
LATEST_SLACK = timedelta(days=1)

V1_TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
# The exact form Twitter writes; anything else goes through strptime.
_V1_TIME = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"(\d\d) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d) (\d{4})\Z"
)


def _v1_time(text: str) -> datetime:
    """``strptime(text, V1_TIME_FORMAT)``, about 10x faster for the exact form Twitter
    writes (the datetime constructor still rejects impossible dates); the same result
    (tested against strptime)."""
    m = _V1_TIME.match(text)
    if m is None:
        return datetime.strptime(text, V1_TIME_FORMAT)
    mon, day, hh, mm, ss, sign, oh, om, year = m.groups()
    offset = timedelta(hours=int(oh), minutes=int(om))
    tz = timezone(-offset if sign == "-" else offset)
    return datetime(int(year), _MONTHS[mon], int(day), int(hh), int(mm), int(ss), tzinfo=tz)


@functools.lru_cache(maxsize=1 << 16)  # profile dates repeat once per post of the account
def _utc_second(text: str) -> datetime:
    """``text`` (ISO 8601, or the form Twitter writes) as an aware UTC datetime
    truncated to the second (no time zone: UTC); ValueError when it is no date."""
    parsed = datetime.fromisoformat(text) if text[:1].isdigit() else _v1_time(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(microsecond=0)


_LATEST: list[Any] = [-1.0, None]  # (monotonic second, latest possible date)


def _latest() -> datetime:
    """Now plus the allowed clock skew, recomputed at most once a second (one clock
    read per record cost as much as parsing the date)."""
    tick = time.monotonic()
    if tick - _LATEST[0] >= 1.0:
        _LATEST[:] = [tick, datetime.now(UTC) + LATEST_SLACK]
    return _LATEST[1]


class RecordError(ValueError):
    """A record that cannot become a post: it is quarantined with this reason."""


class UnknownRecord(RecordError):
    """A well-formed record in no supported format."""


@dataclass(slots=True)
class Parsed:
    """One post in canonical form, plus every user profile seen in it."""

    post: dict[str, Any]
    users: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Profile:
    """A user profile supplied on its own (not a post): it updates the users table
    for accounts whose posts are kept, and is counted as filtered."""

    user: dict[str, Any]
    reason: str = "not a post: profile (joins the users table)"


@dataclass(slots=True)
class Skipped:
    """A record that is valid but is not a post (e.g. a delete notice)."""

    reason: str


def parse_time(value: Any, what: str = "created_at") -> datetime:
    """Parse a platform timestamp to an aware UTC datetime, truncated to the second.

    Accepts Twitter v1.1 (``Wed May 24 20:19:05 +0000 2017``) and ISO 8601
    (``2017-05-24T20:19:05.000Z``) strings. Raises :class:`RecordError` for
    missing, unparseable or impossible dates (before Twitter existed, or in
    the future).
    """
    if value is None or value == "":
        raise RecordError(f"missing required field: {what}")
    if not isinstance(value, str):
        raise RecordError(f"invalid {what}: not a string ({type(value).__name__})")
    try:
        parsed = _utc_second(value.strip())
    except ValueError:
        raise RecordError(f"invalid {what}: {value[:40]!r}") from None
    if parsed < EARLIEST or parsed > _latest():
        raise RecordError(f"impossible {what}: {value[:40]!r}")
    return parsed


def optional_time(value: Any) -> datetime | None:
    """Like :func:`parse_time` for optional profile dates: bad values become None."""
    if value in (None, ""):
        return None
    try:
        return parse_time(value, "account created_at")
    except RecordError:
        return None


def require_id(value: Any, what: str) -> str:
    """Return an identifier as a string, or raise :class:`RecordError`."""
    if type(value) is str and value.strip():  # the usual case, first
        return value.strip()
    if value is None or value == "" or isinstance(value, bool):
        raise RecordError(f"missing required field: {what}")
    if isinstance(value, int | str):
        text = str(value).strip()
        if text:
            return text
    raise RecordError(f"invalid {what}: {str(value)[:40]!r}")


def optional_id(value: Any) -> str | None:
    """An optional identifier as a string (None when absent)."""
    if type(value) is str:  # the usual case, first
        return value.strip() or None
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | str):
        return str(value).strip() or None
    return None


def optional_count(value: Any, what: str) -> int | None:
    """A non-negative count; negative or non-numeric values are impossible."""
    if type(value) is int and value >= 0:  # the usual case, first (not a bool)
        return value
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordError(f"invalid {what}: {value!r}")
    if isinstance(value, str):
        if not value.strip().lstrip("-").isdigit():
            raise RecordError(f"invalid {what}: {value[:20]!r}")
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise RecordError(f"invalid {what}: {str(value)[:20]!r}")
    if value < 0:
        raise RecordError(f"impossible {what}: {value}")
    return value


def optional_text(value: Any) -> str | None:
    """A string field, or None when absent or of another type."""
    return value if isinstance(value, str) else None


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty dict (tolerates type confusion)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list, else an empty list."""
    return value if isinstance(value, list) else []


def entity_values(items: Any, *keys: str) -> list[str]:
    """The first present string among ``keys`` for each dict in ``items``."""
    out: list[str] = []
    for item in as_list(items):
        if isinstance(item, dict):
            for key in keys:
                val = item.get(key)
                if isinstance(val, str) and val:
                    out.append(val)
                    break
    return out


_TAG_RE = re.compile(r"(?<![\w&])[#＃](\w+)", re.UNICODE)


def hashtags_in(text: str | None) -> list[str]:
    """Hashtags found in ``text`` (used when a format carries no entity list)."""
    return [m.group(1) for m in _TAG_RE.finditer(text or "")]


def tags_and_text(tags: list[str], text: str | None) -> list[str]:
    """Hashtags as stored, from a platform's tag list plus those only in the text (for
    platforms whose tag lists can miss some)."""
    seen = {t.casefold() for t in tags}
    return lower_tags(tags + [t for t in hashtags_in(text) if t.casefold() not in seen])


def lower_tags(tags: list[str]) -> list[str]:
    """Hashtags as stored: lower-case, without '#'."""
    return [t.lstrip("#＃").casefold() for t in tags]


def join_text(*parts: str | None) -> str:
    """The searchable body: every non-empty part, one per line."""
    return "\n".join(p for p in parts if p)


def user_row(
    *,
    user_id: str,
    screen_name: Any,
    name: Any,
    bio: Any,
    followers: Any,
    friends: Any,
    statuses: Any,
    account_created_at: Any,
    observed_at: datetime,
) -> dict[str, Any]:
    """A canonical users-table row. Bad optional counts become None, not errors."""
    return {
        "user_id": user_id,
        "screen_name": optional_text(screen_name),
        "name": optional_text(name),
        "bio": optional_text(bio),
        "followers": _count(followers),
        "friends": _count(friends),
        "statuses": _count(statuses),
        "account_created_at": optional_time(account_created_at),
        "observed_at": observed_at,
    }


def _count(value: Any) -> int | None:
    """An optional count of a profile: a bad one becomes None, not an error."""
    if type(value) is int and value >= 0:
        return value
    try:
        return optional_count(value, "count")
    except RecordError:
        return None


def post_row(**fields: Any) -> dict[str, Any]:
    """A canonical posts-table row with defaults for absent optional columns."""
    row: dict[str, Any] = {
        "is_reply": False,
        "in_reply_to_post_id": None,
        "hashtags": [],
        "mentions": [],
        "urls": [],
        "retweeted_post_id": None,
        "retweeted_author_id": None,
        "quoted_post_id": None,
        "quoted_author_id": None,
        "retweet_count": None,
        "lang": None,
    }
    row.update(fields)
    row["is_reply"] = row["in_reply_to_post_id"] is not None or bool(row["is_reply"])
    return row
