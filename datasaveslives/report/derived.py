"""What several chapters share, derived once per build before any chapter runs.

- **The network's groups**: Louvain on the network of shares, with the run's seed and
  resolution (``derived/partition.json``). The frequency chapter labels Table 1's posts
  with them, the network chapter describes them, and the themes chapter stratifies its
  coding order by them: one partition, so the three agree by construction.
- **The coding order** (``derived/coding_order.parquet``): the posts in the order they
  are read and coded (:func:`datasaveslives.coding.sampling.coding_order`), the sample
  (``derived/coding_sample.parquet``) and the coders' complete copy of it
  (``coding/coding_sample.xlsx``, ``.csv``, ``.qdpx``, with each post's id; never
  published). Coders code these files, and a later build reads them back
  (``coding_files``); the themes chapter only reads.

Everything is derived from the run's tables and its resolved parameters
(:meth:`RunLayout.parameters`), the values the chapters read.
"""

from __future__ import annotations

import pandas as pd

from datasaveslives.analysis import network
from datasaveslives.coding import codebook, collect, qdpx, sampling, workbook
from datasaveslives.ingest import tables
from datasaveslives.privacy import policy
from datasaveslives.report.runs import RunLayout

PARTITION_FILE = "partition.json"
ORDER_FILE = "coding_order.parquet"
SAMPLE_FILE = "coding_sample.parquet"
SAMPLE_FILES = ("coding_sample.xlsx", "coding_sample.csv")
SAMPLE_PROJECT = "coding_sample.qdpx"


def derive(layout: RunLayout) -> None:
    """Derive the shared data of the run in ``layout`` (its tables and parameters)."""
    values = layout.parameters()
    run = tables.load(layout.tables)
    part = network.louvain(
        network.retweet_graph(run.edges).graph, seed=values["seed"], resolution=values["resolution"]
    )
    layout.derived.mkdir(parents=True, exist_ok=True)
    network.write_partition(part, layout.derived / PARTITION_FILE)

    order = sampling.coding_order(
        run.originals,  # the sampling frame, read without the shares
        first=values["frame_size"],
        seed=values["seed"],
        stratify=values["stratify"],
        groups=part.membership(),
    )
    order.to_parquet(layout.derived / ORDER_FILE)

    profiles = run.users
    rules = policy.from_parameters(
        values["allowlist"],
        values["deletions"],
        values["quotable"],
        values["synthetic"],
        users=profiles,
    )
    names = profiles.set_index("user_id")["screen_name"]
    book = codebook.load(values["codebook"])
    sample = collect.sample_for_coding(order.head(values["coding_sample"]), names, rules)
    sample.to_parquet(layout.derived / SAMPLE_FILE)
    layout.coding.mkdir(parents=True, exist_ok=True)
    for target in SAMPLE_FILES:
        workbook.export(sample, book, layout.coding / target)
    qdpx.export(sample, book, layout.coding / SAMPLE_PROJECT)


def partition(layout: RunLayout) -> network.Partition:
    """The network's groups, as :func:`derive` found them."""
    return network.read_partition(layout.derived / PARTITION_FILE)


def coding_order(layout: RunLayout) -> pd.DataFrame:
    """Every original post in the order it is read and coded, as :func:`derive` drew it."""
    return pd.read_parquet(layout.derived / ORDER_FILE)


def coding_sample(layout: RunLayout) -> pd.DataFrame:
    """The sample as coders see it (the head of the order; names and texts as the privacy
    rules allow), as :func:`derive` wrote it to the coders' files."""
    return pd.read_parquet(layout.derived / SAMPLE_FILE)
