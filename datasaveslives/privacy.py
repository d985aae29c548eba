"""Privacy as the paper practised it: name only allowlisted accounts, pseudonymise
everyone else, never quote deleted posts (they stay in every count).

A pseudonym is a keyed BLAKE2b hash of the user id: stable across runs with the
same salt, unlinkable to the account without it. The synthetic corpus uses a fixed,
documented salt; for real data ``DATASAVESLIVES_SALT`` or, if unset, a random salt made
once on the machine in ``_build/secrets/salt`` (never commit either).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from datasaveslives import paths
from datasaveslives.params import load_accounts

SYNTHETIC_SALT = "datasaveslives-synthetic-corpus"
SALT_VARIABLE = "DATASAVESLIVES_SALT"
MASKED_MENTION = "@[username]"
MASKED_LINK = "[link]"
# An @-mention: not part of an e-mail address or of another mention.
# A mention: a Twitter name, a Bluesky handle (a domain: dots and hyphens inside) or a
# Mastodon account (name@instance); masked whole, so no part of a handle stays.
_MENTION = re.compile(r"(?<![\w@])@((?:\w[\w.-]{0,250}\w|\w)(?:@\w[\w.-]{0,250}\w)?)")
_LINK = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
DELETED_TEXT = "Not available: deleted"
NOT_QUOTED = "Not quoted (a generated text of the synthetic corpus)"


def default_salt_file() -> Path:
    """Where a machine's own salt is kept (under ``_build/``, which git ignores)."""
    return paths.BUILD / "secrets" / "salt"


def salt_from_env(secret_file: Path | None = None) -> str:
    """The salt for real data: ``DATASAVESLIVES_SALT`` if set, else a random salt made
    once on this machine and kept in ``_build/secrets/salt`` (outside git), so that
    pseudonyms are stable between runs here but cannot be recomputed by anyone who
    does not hold the salt. (The synthetic corpus's salt is fixed and documented.)"""
    value = os.environ.get(SALT_VARIABLE, "")
    if value:
        return value
    secret_file = Path(secret_file or default_salt_file())
    if not secret_file.is_file():
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        secret_file.write_text(secrets.token_hex(32), encoding="utf-8")
        secret_file.chmod(0o600)
    return secret_file.read_text(encoding="utf-8").strip()


def pseudonym(user_id: str, salt: str) -> str:
    """A stable pseudonym such as ``user-3f9a1c2e`` for ``user_id``."""
    digest = hashlib.blake2b(str(user_id).encode(), key=salt.encode()[:64], digest_size=4)
    return f"user-{digest.hexdigest()}"


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

    def named(self, screen_name: str | None) -> bool:
        return bool(screen_name) and str(screen_name).casefold() in self.allowlist

    def account(self, user_id: str, screen_name: str | None) -> str:
        """``@name`` for allowlisted accounts, a pseudonym for everyone else."""
        if self.named(screen_name) and user_id not in self.deletions.users:
            return f"@{screen_name}"
        return pseudonym(user_id, self.salt)

    def mask(self, text: str) -> str:
        """``text`` with @-mentions of accounts not on the allowlist shown as
        ``@[username]`` and links as ``[link]``, as the paper quoted posts."""
        text = _MENTION.sub(
            lambda m: m.group(0) if self.named(m.group(1)) else MASKED_MENTION, text
        )
        return _LINK.sub(MASKED_LINK, text) if self.mask_links else text

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
    allowlist: str | None, deletions: str | None, quotable: str | None, synthetic: bool
) -> Privacy:
    """The privacy rules of a run, from its parameters (the synthetic corpus uses the
    documented fixed salt; real data the ``DATASAVESLIVES_SALT`` environment variable)."""
    return Privacy(
        allowlist=load_allowlist(allowlist),
        salt=SYNTHETIC_SALT if synthetic else salt_from_env(),
        deletions=Deletions.load(deletions),
        quotable=quotable_posts(quotable),
    )
