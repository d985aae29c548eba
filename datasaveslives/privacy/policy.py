"""Privacy as the paper practised it: name only allowlisted accounts, pseudonymise
everyone else, never quote deleted posts (they stay in every count).

A pseudonym is a keyed BLAKE2b hash of the user id (64 bits, ``user-`` and 16 hex
digits): stable across runs with the same salt, unlinkable to the account without it.
The key is derived from every byte of the salt, which must be at least
``MIN_SALT_LENGTH`` characters. A published reference to a post (``post-`` and 16 hex
digits) is made the same way, so that downloads never carry a post's id. The synthetic
corpus uses a fixed, documented salt; for real data ``DATASAVESLIVES_SALT`` or, if
unset, a random salt made once on the machine in ``_build/secrets/salt`` (never commit
either).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from datasaveslives.core import paths
from datasaveslives.core.params import load_accounts

SYNTHETIC_SALT = "datasaveslives-synthetic-corpus"
SALT_VARIABLE = "DATASAVESLIVES_SALT"
MIN_SALT_LENGTH = 16
DIGEST_BYTES = 8  # 64 bits: ~0.0004% chance of any collision among 10 million accounts
MASKED_MENTION = "@[username]"
MASKED_LINK = "[link]"
# An @-mention: not part of an e-mail address or of another mention.
# A mention: a Twitter name, a Bluesky handle (a domain: dots and hyphens inside) or a
# Mastodon account (name@instance); masked whole, so no part of a handle stays.
_MENTION = re.compile(r"(?<![\w@])@((?:\w[\w.-]{0,250}\w|\w)(?:@\w[\w.-]{0,250}\w)?)")
# A link: with a scheme, from www., or a bare domain with a path (twitter.com/name,
# instagram.com/name, bsky.app/profile/name, mastodon.social/@name).
_LINK = re.compile(r"\bhttps?://\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*", re.I)
# A word that could be a bare name: letters, digits, _, and inner dots or hyphens (a
# Bluesky handle); not after @, #, / or a dot (a mention, hashtag, path or domain).
_WORD = re.compile(r"(?<![\w@#/.\-])\w(?:[\w.\-]*\w)?")
# Characters that draw nothing but split a name for a pattern: zero-width spaces and
# joiners, word joiner, soft hyphen, BOM, invisible operators.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
BARE_NAME_MIN = 4
MASKED_NAME = "[username]"
DELETED_TEXT = "Not available: deleted"
NOT_QUOTED = "Not quoted (a generated text of the synthetic corpus)"


def default_salt_file() -> Path:
    """Where a machine's own salt is kept (under ``_build/``, which git ignores)."""
    return paths.BUILD / "secrets" / "salt"


class SaltError(ValueError):
    """A salt that would give weak or unkeyed pseudonyms; the message says how to fix it."""


def check_salt(salt: str, where: str) -> str:
    """``salt`` if it is long enough to key pseudonyms; a clear error otherwise."""
    if len(salt) < MIN_SALT_LENGTH:
        state = "empty" if not salt else f"only {len(salt)} character(s) long"
        raise SaltError(
            f"the salt in {where} is {state}; pseudonyms need a secret of at least "
            f"{MIN_SALT_LENGTH} characters (e.g. python -c 'import secrets; "
            f"print(secrets.token_hex(32))')"
        )
    return salt


def salt_from_env(secret_file: Path | None = None) -> str:
    """The salt for real data: ``DATASAVESLIVES_SALT`` if set, else a random salt made
    once on this machine and kept in ``_build/secrets/salt`` (outside git), so that
    pseudonyms are stable between runs here but cannot be recomputed by anyone who
    does not hold the salt. (The synthetic corpus's salt is fixed and documented.) A
    salt shorter than ``MIN_SALT_LENGTH`` (an empty variable or file included) is an
    error, never a weaker pseudonym."""
    if SALT_VARIABLE in os.environ:
        return check_salt(os.environ[SALT_VARIABLE], f"the {SALT_VARIABLE} variable")
    secret_file = Path(secret_file or default_salt_file())
    if not secret_file.is_file():
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        incoming = secret_file.with_name(f"{secret_file.name}.{os.getpid()}.incoming")
        incoming.write_text(secrets.token_hex(32), encoding="utf-8")
        incoming.chmod(0o600)
        incoming.replace(secret_file)  # one rename: never an empty salt file
    return check_salt(secret_file.read_text(encoding="utf-8").strip(), str(secret_file))


@functools.lru_cache(maxsize=8)
def _key(salt: str) -> bytes:
    # BLAKE2b's key is at most 64 bytes: hash the whole salt into it, so every byte counts.
    check_salt(salt, "use")
    return hashlib.blake2b(salt.encode("utf-8"), digest_size=32, person=b"dsl-salt").digest()


def _keyed(kind: bytes, value: str, salt: str) -> str:
    digest = hashlib.blake2b(
        str(value).encode("utf-8"), key=_key(salt), digest_size=DIGEST_BYTES, person=kind
    )
    return digest.hexdigest()


def pseudonym(user_id: str, salt: str) -> str:
    """A stable pseudonym such as ``user-3f9a1c2e5b7d4a60`` for ``user_id``."""
    return f"user-{_keyed(b'user', user_id, salt)}"


def reference(post_id: str, salt: str) -> str:
    """A stable published reference such as ``post-9b1e…`` for ``post_id``: it lets a
    coder's workbook be matched to the sample without publishing the post's id."""
    return f"post-{_keyed(b'post', post_id, salt)}"


class PseudonymCollision(ValueError):
    """Two accounts would share a pseudonym (a merge of two people): never published."""


def check_unique(user_ids: Iterable[str], salt: str) -> None:
    """Raise ``PseudonymCollision`` if two distinct ids get the same pseudonym."""
    seen: dict[str, str] = {}
    for user_id in dict.fromkeys(str(u) for u in user_ids):
        name = pseudonym(user_id, salt)
        if name in seen:
            raise PseudonymCollision(
                f"accounts {seen[name]} and {user_id} share the pseudonym {name}; "
                f"choose another salt ({SALT_VARIABLE})"
            )
        seen[name] = user_id


def normalise(text: str) -> str:
    """``text`` as names are matched in it: Unicode NFKC (a full-width ``＠name`` is
    ``@name``) without invisible characters (``@\u200bname`` is ``@name``)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def name_forms(screen_name: str) -> set[str]:
    """The case-folded forms a screen name takes in text: itself, the local part of a
    Mastodon ``name@instance``, and the first label of a ``name.bsky.social`` handle."""
    name = normalise(str(screen_name)).strip().lstrip("@").casefold()
    forms = {name} if name else set()
    if "@" in name:
        forms.add(name.split("@", 1)[0])
    if name.endswith(".bsky.social"):
        forms.add(name.split(".", 1)[0])
    return {f for f in forms if f}


def bare_forms(screen_names: Iterable[str], spared: Iterable[str] = ()) -> frozenset[str]:
    """The forms of ``screen_names`` that are masked (and searched) as bare words: at
    least ``BARE_NAME_MIN`` characters, not a stop word, not a form of a ``spared``
    (allowlisted) name. Shorter ones are masked only as @-mentions."""
    from datasaveslives.core.tokens import stopwords  # a documented list, data/stopwords.txt

    keep = set().union(*(name_forms(n) for n in spared)) if spared else set()
    forms = set().union(*(name_forms(n) for n in screen_names)) if screen_names else set()
    return frozenset(
        f for f in forms if len(f) >= BARE_NAME_MIN and f not in stopwords() and f not in keep
    )


def load_allowlist(path: str | Path | None) -> frozenset[str]:
    """Screen names (case-insensitive) that may be shown; a YAML list or ``accounts:``."""
    if not path:
        return frozenset()
    return frozenset(a.casefold() for a in load_accounts(Path(path), "allowlist"))


@dataclass(frozen=True)
class Deletions:
    """Ids of posts and users removed since collection (a compliance check's output)."""

    posts: frozenset[str] = field(default_factory=frozenset)
    users: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def load(cls, path: str | Path | None) -> Deletions:
        """A CSV with columns ``id`` and ``kind`` (post or user); None: nothing deleted."""
        if not path:
            return cls()
        table = pd.read_csv(path, dtype={"id": str, "kind": str})
        return cls(
            frozenset(table.loc[table["kind"] == "post", "id"]),
            frozenset(table.loc[table["kind"] == "user", "id"]),
        )


@dataclass(frozen=True)
class Privacy:
    """Who may be named, which posts may be quoted."""

    allowlist: frozenset[str]
    salt: str
    deletions: Deletions = field(default_factory=Deletions)
    # Post ids whose text may be quoted; None: any post of an allowlisted account.
    quotable: frozenset[str] | None = None
    mask_links: bool = True
    # Case-folded screen names that may not be named although allowlisted (deleted).
    hidden: frozenset[str] = field(default_factory=frozenset)
    # Forms of the run's other accounts' names masked where they stand as bare words.
    bare: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        check_salt(self.salt, "these privacy rules")

    def knowing(self, users: pd.DataFrame) -> Privacy:
        """These rules knowing a run's accounts (``user_id``, ``screen_name``): a deleted
        allowlisted account is no longer named, and every account that may not be named
        is masked as a bare word too (``seusssl's``, ``Zigmint``)."""
        names = users["screen_name"].fillna("").astype(str)
        gone = users["user_id"].astype(str).isin(self.deletions.users)
        hidden = frozenset(n.casefold() for n in names[gone] if n)
        forbidden = [n for n, g in zip(names, gone, strict=True) if n and (g or not self.named(n))]
        spared = [n for n in self.allowlist if n not in hidden]
        return dataclasses.replace(self, hidden=hidden, bare=bare_forms(forbidden, spared))

    def named(self, screen_name: str | None) -> bool:
        if not screen_name:
            return False
        name = normalise(str(screen_name)).casefold()
        return name in self.allowlist and name not in self.hidden

    def account(self, user_id: str, screen_name: str | None) -> str:
        """``@name`` for allowlisted accounts, a pseudonym for everyone else."""
        if self.named(screen_name) and user_id not in self.deletions.users:
            return f"@{screen_name}"
        return pseudonym(user_id, self.salt)

    def reference(self, post_id: str) -> str:
        """The keyed reference that stands for ``post_id`` in published files."""
        return reference(post_id, self.salt)

    def _bare(self, match: re.Match[str]) -> str:
        word = match.group(0)
        return MASKED_NAME if word.casefold() in self.bare else word

    def _link(self, match: re.Match[str]) -> str:
        if self.mask_links:
            return MASKED_LINK
        words = {w.casefold() for w in re.findall(r"[\w.\-]+", match.group(0))}
        return MASKED_LINK if words & (self.bare | self.hidden) else match.group(0)

    def mask(self, text: str) -> str:
        """``text`` as the paper quoted posts: @-mentions of accounts not on the
        allowlist shown as ``@[username]``, links as ``[link]`` and the run's other
        accounts' names standing bare (``Zigmint``, ``seusssl's``) as ``[username]``,
        matched in the text's normalised form (:func:`normalise`)."""
        text = normalise(text)
        text = _MENTION.sub(
            lambda m: m.group(0) if self.named(m.group(1)) else MASKED_MENTION, text
        )
        text = _LINK.sub(self._link, text)
        return _WORD.sub(self._bare, text) if self.bare else text

    def text(self, post_id: str, user_id: str, screen_name: str | None, text: str) -> str | None:
        """The text, masked, if it may be quoted; the reason it is not shown otherwise."""
        if post_id in self.deletions.posts or user_id in self.deletions.users:
            return DELETED_TEXT
        if not self.named(screen_name):
            return None
        if self.quotable is not None and post_id not in self.quotable:
            return NOT_QUOTED
        return self.mask(text)


def quotable_posts(annotations: str | Path | None) -> frozenset[str] | None:
    """Post ids marked quotable in a corpus's annotations (None when not given)."""
    if not annotations:
        return None
    table = pd.read_csv(annotations, dtype={"post_id": str})
    return frozenset(table.loc[table["quotable"].astype(bool), "post_id"])


def from_parameters(
    allowlist: str | None,
    deletions: str | None,
    quotable: str | None,
    synthetic: bool,
    users: pd.DataFrame | None = None,
) -> Privacy:
    """The privacy rules of a run, from its parameters (the synthetic corpus uses the
    documented fixed salt; real data the ``DATASAVESLIVES_SALT`` environment variable),
    knowing the run's ``users`` when given (:meth:`Privacy.knowing`)."""
    rules = Privacy(
        allowlist=load_allowlist(allowlist),
        salt=SYNTHETIC_SALT if synthetic else salt_from_env(),
        deletions=Deletions.load(deletions),
        quotable=quotable_posts(quotable),
    )
    return rules.knowing(users) if users is not None else rules
