"""Dehydrated sharing: the analysed posts as ids only, with the parameters to rerun.

Twitter's terms let researchers share post ids, not posts; others "rehydrate" the
ids through the API (e.g. ``twarc2 hydrate``), getting back what has not been
deleted since, and rerun the book on the result with the same parameters.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from datasaveslives.core import study
from datasaveslives.core.params import NONE, STUDY_KEYS
from datasaveslives.ingest import ingestion

IDS_FILE = "post_ids.txt"
PARAMS_FILE = "params.yml"
README_FILE = "README.md"
PAPER_IDS_FILE = "paper_post_ids.txt"

_README = """# Dehydrated #datasaveslives run

- `{ids}`: the ids of the {n:,} posts this run analysed (kept after the hashtag and
  window filters; every type: original, quote, retweet), one per line, sorted.
  SHA-256 of the file: `{digest}`.
- `{params}`: the parameters of the run (hashtag, window, supporters, seeds...).
{paper}
To rerun: rehydrate the ids (for example `twarc2 hydrate {ids} posts.jsonl`), then
`python -m datasaveslives build --params {params} --data posts.jsonl`. Posts deleted
since collection will not come back, so counts may be lower than this run's.
"""


def export(
    params: Any, tables_dir: Path, out_dir: Path, paper_ids: Path | None = None
) -> dict[str, Any]:
    """Write the ids of the posts in ``tables_dir``, the parameters and a README to
    ``out_dir``; return a summary (count and digest)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    posts = pd.read_parquet(Path(tables_dir) / ingestion.POSTS_FILE, columns=["post_id"])
    ids = sorted(posts["post_id"].astype(str), key=lambda s: (len(s), s))
    text = "".join(f"{i}\n" for i in ids)
    (out_dir / IDS_FILE).write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    values = {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in asdict(params).items()
        if k not in ("source", "data", "data_label", "deletions", "quotable", "synthetic")
    }
    for key in STUDY_KEYS:  # a study's file switched off stays off when the file is read
        if values.get(key) is None and key in ("study", *study.PATH_KEYS):
            values[key] = NONE
    (out_dir / PARAMS_FILE).write_text(
        "# Parameters of the dehydrated run; `data` is whatever you rehydrate.\n"
        + yaml.safe_dump(values, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    paper = ""
    if paper_ids:
        shutil.copyfile(paper_ids, out_dir / PAPER_IDS_FILE)
        paper = f"- `{PAPER_IDS_FILE}`: the paper's own post ids, as supplied.\n"
    (out_dir / README_FILE).write_text(
        _README.format(ids=IDS_FILE, n=len(ids), digest=digest, params=PARAMS_FILE, paper=paper),
        encoding="utf-8",
    )
    return {"posts": len(ids), "sha256": digest}
