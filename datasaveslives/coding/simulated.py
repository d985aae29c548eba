"""Simulated coders for the synthetic corpus, so the themes chapter runs end to end.

They are not people and do no interpretation. Each reads posts in the coding order and
marks the corpus's latent themes, with seeded, documented disagreement: a coder misses a
theme the post carries with probability ``miss`` and adds one it does not carry with
probability ``extra`` (noting "borderline" in the memo). As new codes they note the
codebook's descriptive codes whose keywords occur in the post, each with probability
``notice``: rare ones turn up late, which is what the saturation curve shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from datasaveslives.coding import saturation
from datasaveslives.coding.codebook import Codebook
from datasaveslives.coding.workbook import coded_columns
from datasaveslives.core.tokens import keyword_tokens


@dataclass(frozen=True)
class Coder:
    """A simulated coder's name and error rates."""

    name: str
    miss: float
    extra: float
    notice: float = 0.85


CODERS = (Coder("coder-1", miss=0.05, extra=0.03), Coder("coder-2", miss=0.10, extra=0.05))


def code(
    order: pd.DataFrame,
    latent: pd.Series,
    codebook: Codebook,
    coder: Coder,
    seed: int,
) -> pd.DataFrame:
    """``coder``'s coded table for the posts of ``order`` (in its order); ``latent``
    maps post id to the corpus's theme letters (e.g. ``"AC"``)."""
    rng = np.random.default_rng([seed, sum(map(ord, coder.name))])
    rows = []
    for post in order.itertuples(index=False):
        truth = set(str(latent.get(post.post_id, "") or ""))
        marks, borderline = {}, []
        for c in codebook.ids:
            draw = rng.random()
            if c in truth:
                marks[c] = draw >= coder.miss
            else:
                marks[c] = draw < coder.extra
                if marks[c]:
                    borderline.append(c)
        tokens = keyword_tokens(post.text)
        noticed = [
            name
            for name, words in codebook.descriptive
            if rng.random() < coder.notice and tokens & set(words)
        ]
        rows.append(
            {
                "coder": coder.name,
                "post_id": post.post_id,
                **marks,
                "new_codes": "; ".join(sorted(noticed)),
                "memo": f"borderline: {', '.join(borderline)}" if borderline else "",
            }
        )
    return pd.DataFrame(rows, columns=coded_columns(codebook))


def simulate(
    order: pd.DataFrame,
    latent: pd.Series,
    codebook: Codebook,
    seed: int,
    read: int = 1000,
    double: int = 200,
    batch: int = 50,
    window: int = 3,
) -> pd.DataFrame:
    """The first coder reads the order in whole batches of ``batch`` posts until
    saturation (``window`` batches without a new code) and at least ``read`` posts
    (the paper read about 1,000); the second double-codes the first ``double`` posts of the random
    phase, for agreement."""
    whole_batches = -(-read // batch) * batch  # read in whole batches
    first = code(order.head(whole_batches), latent, codebook, CODERS[0], seed)
    while len(first) < len(order):
        if saturation.point(saturation.curve(first, codebook.ids, batch, window)) is not None:
            break
        more = order.iloc[len(first) : len(first) + batch]
        first = pd.concat(
            [first, code(more, latent, codebook, CODERS[0], seed + len(first))], ignore_index=True
        )
    again = order[order["phase"] == "random"].head(double)
    second = code(again, latent, codebook, CODERS[1], seed)
    return pd.concat([first, second], ignore_index=True)
