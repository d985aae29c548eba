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


class MalformedJSON(RecordError):
    """A line that is not JSON (a file none of whose lines is JSON is not JSON lines)."""


# A reference by a platform's instance-local id (a Mastodon status's ``in_reply_to_id``,
# a shallow quote's ``quoted_status_id``), written in place of a post id until ingestion
# resolves it (see Parsed.local_ids): never a post id of any platform (those are URIs or
# digits).
LOCAL_REF = "local-id:"


def local_ref(value: Any) -> str | None:
    """The placeholder for a post known only by its instance-local id (None if none)."""
    found = optional_id(value)
    return f"{LOCAL_REF}{found}" if found else None


@dataclass(slots=True)
class Parsed:
    """One post in canonical form, plus every user profile seen in it. ``local_ids``:
    the instance-local ids of the posts this record shows (itself, the post it shares or
    quotes), each with its global post id and author, so that a reply or quote elsewhere
    in the archive that names one by its local id can be given the global id."""

    post: dict[str, Any]
    users: list[dict[str, Any]] = field(default_factory=list)
    local_ids: dict[str, tuple[str, str | None]] = field(default_factory=dict)


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
    except (ValueError, OverflowError):  # no date, or one that cannot be put in UTC
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


# An id a spreadsheet turned into a number: 1.44072E+18, 1440713966649417731.0.
_INEXACT_ID = re.compile(r"^[+-]?\d+(?:\.\d*)?[eE][+-]?\d+$|^[+-]?\d+\.\d*$")


def _id_text(value: Any, what: str) -> str | None:
    """An id as text; a :class:`RecordError` for one that is not exact (a float, or
    digits in scientific or decimal notation: a spreadsheet rounded it, and two posts
    could become one)."""
    if isinstance(value, bool):
        raise RecordError(f"invalid {what}: {value!r}")
    if isinstance(value, float):
        raise RecordError(f"{what} is not an exact integer: {value!r} (rounded by a spreadsheet?)")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        if _INEXACT_ID.match(text):
            raise RecordError(
                f"{what} is not an exact integer: {text[:30]!r} (rounded by a spreadsheet? "
                f"format the column as text and export again)"
            )
        return text or None
    if value is None:
        return None
    raise RecordError(f"invalid {what}: {str(value)[:40]!r}")


def require_id(value: Any, what: str) -> str:
    """Return an identifier as a string, or raise :class:`RecordError`."""
    if type(value) is str and value.isdigit():
        return value  # the usual case, first
    text = _id_text(value, what)
    if not text:
        raise RecordError(f"missing required field: {what}")
    return text


def optional_id(value: Any, what: str = "referenced id") -> str | None:
    """An optional identifier as a string (None when absent); one that is not exact is
    an error, as in :func:`require_id`."""
    if type(value) is str and value.isdigit():
        return value  # the usual case, first
    if not isinstance(value, str | int | float | bool) and value is not None:
        return None  # type confusion in an optional field: treated as absent
    return _id_text(value, what)


MAX_COUNT = 2**63 - 1  # what a count column (int64) holds


def optional_count(value: Any, what: str) -> int | None:
    """A non-negative count; negative or non-numeric values are impossible."""
    if type(value) is int and 0 <= value <= MAX_COUNT:  # the usual case, first (not a bool)
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
    if value < 0 or value > MAX_COUNT:
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
    """A canonical users-table row. Bad optional values (a count, the account's date)
    become None, not errors; the fields so emptied are listed under ``EMPTIED`` (the
    ingestion counts them in its report and drops the key)."""
    row: dict[str, Any] = {
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
    given = {"followers": followers, "friends": friends, "statuses": statuses,
             "account_created_at": account_created_at}  # fmt: skip
    emptied = [k for k, v in given.items() if row[k] is None and v not in (None, "")]
    if emptied:
        row[EMPTIED] = emptied
    return row


EMPTIED = "_emptied"  # the profile fields of a users row that held a bad value


def _count(value: Any) -> int | None:
    """An optional count of a profile: a bad one becomes None, not an error."""
    if type(value) is int and 0 <= value <= MAX_COUNT:
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
