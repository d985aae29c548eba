"""A parameters file for a new study, written from what an archive holds.

``python -m datasaveslives init ARCHIVE...`` reads the archive once (no filter), finds
its platform, the days its posts span and its commonest hashtags, and writes a
``params.yml`` for it: those filled in, every other choice written out with its default
and a comment, and no study declared (a neutral book) until the user writes one. A
folder made by ``collect`` gives its own window and hashtag (its manifest's): the feeds
it read for reposts hold other posts, older and newer, which are not the window.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from datasaveslives.collect import archive
from datasaveslives.ingest import ingestion
from datasaveslives.report import platforms, provenance


@dataclass(frozen=True)
class Survey:
    """What an archive holds, for its parameters file."""

    files: tuple[str, ...]
    platform: str
    read: int
    posts: int
    first_day: str | None
    last_day: str | None
    hashtags: tuple[tuple[str, int], ...]  # the commonest, with how many posts carry each
    collected: tuple[str, str, str | None] | None = None  # a collection's since, until, tag


def survey(inputs: list[Path], timezone: str = "UTC", top: int = 10) -> Survey:
    """Read ``inputs`` with no filter and describe them."""
    with tempfile.TemporaryDirectory(prefix="dsl-init-") as out:
        report = ingestion.ingest(inputs, Path(out)).to_dict()
        posts = pd.read_parquet(Path(out) / "posts.parquet", columns=["created_at", "hashtags"])
    tags: Counter[str] = Counter()
    for listed in posts["hashtags"]:
        tags.update(
            {f"#{t.lstrip('#').casefold()}" for t in (listed if listed is not None else [])}
        )
    days = posts["created_at"].dt.tz_convert(timezone) if len(posts) else None
    manifests = [m for m in (archive.read_manifest(p) for p in inputs if p.is_dir()) if m]
    return Survey(
        files=tuple(provenance.shown_value(str(p)) for p in inputs),
        platform=platforms.vocabulary(platforms.report_platforms(report)).platform,
        read=report["read"],
        posts=len(posts),
        first_day=f"{days.min():%Y-%m-%d}" if days is not None else None,
        last_day=f"{days.max():%Y-%m-%d}" if days is not None else None,
        hashtags=tuple(sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))[:top]),
        collected=_collected(manifests),
    )


def _collected(manifests: list[dict]) -> tuple[str, str, str | None] | None:
    """The window and hashtag of the collections read (None unless every input folder
    that holds one agrees on them): the hashtag only when the query is one."""
    found = {
        (str(m.get("since")), str(m.get("until")), m.get("query") or "")
        for m in manifests
        if m.get("since") and m.get("until")
    }
    if len(found) != 1:
        return None
    since, until, query = found.pop()
    tag = query.strip() if re.fullmatch(r"#\w+", query.strip()) else None
    return since, until, tag.casefold() if tag else None


def params_text(found: Survey, inputs: list[str], timezone: str = "UTC") -> str:
    """The parameters file for ``found`` (YAML with comments)."""
    tag = found.hashtags[0][0] if found.hashtags else None
    listed = "\n".join(f"#   {t}: {n:,} posts" for t, n in found.hashtags) or "#   (none found)"
    data = "\n".join(f"  - {d}" for d in inputs)
    window = (
        f"start: {found.first_day}\nend: {found.last_day}"
        if found.first_day
        else "start: null\nend: null"
    )
    if found.collected:  # the collection's own window and hashtag
        since, until, asked = found.collected
        window = f"# The window collected (its manifest.yml).\nstart: {since}\nend: {until}"
        if asked:
            listed += f"\n# The hashtag collected (its manifest.yml): {asked}"
            tag = asked
    return f"""# Parameters for a run on {", ".join(found.files)}, written by
# `python -m datasaveslives init`. Build the book with
#   python -m datasaveslives build --params THIS_FILE --run NAME
# Every value below can be changed; paths are relative to the project root.

# The archive: {found.read:,} records read, {found.posts:,} posts, from {found.platform}.
data:
{data}
# How the book names these data (leave empty to name the files).
data_label: ""
synthetic: false

# No study is declared: the book is neutral (titled from the hashtag, platform and
# window; no official supporters, no comparison with published figures). Write a study
# file like data/studies/datasaveslives.yml (title, questions, supporters, allowlist,
# codebook, events) and name it here to make the book yours.
study: none

# Posts count when this hashtag is in their body (null keeps every post).
# The commonest hashtags of the archive:
{listed}
hashtag: {f'"{tag}"' if tag else "null"}

# The window the posts span (inclusive days, in `timezone`); narrow it as you need.
{window}
timezone: {timezone}

# Official supporters (a YAML list of screen names, as data/official_supporters.yml)
# and the accounts the book may name (data/allowlist.yml): none until you list them,
# so every account is shown by a pseudonym.
supporters: none
allowlist: none
# A deletions file (CSV with id and kind = post or user) from a compliance check.
deletions: null
# Kinds of account read from their profiles (`types:` then each kind, such as
# organisation or individual, with its screen names), for counting organisations among
# the most shared posts and the most active accounts.
account_types: null
# Events to mark on the weekly figure (as data/events.yml).
events: none

# Column mapping for CSV input (null: choose among data/csv_mappings/*.yml).
csv_mapping: null

# Users grouped by posts in the window: lower bounds of the groups.
activity_groups: [1, 2, 10, 100]

# Network: Louvain resolution, seeds of the stability check, layout iterations, and
# the size up to which path lengths are exact.
resolution: 1.0
stability_seeds: 20
layout_iterations: 100
path_exact_limit: 10000
path_sources: 500

# Themes: no codebook yet (coders code openly, in the workbook's new_code column);
# name a codebook (as data/codebook.yml) and the coded files when you have them.
codebook: none
coding_files: []
frame_size: 200
coding_sample: 5000
stratify: null
coding_batch: 50
saturation_batches: 3

# Seed for every random step of the analysis.
seed: 1
"""
