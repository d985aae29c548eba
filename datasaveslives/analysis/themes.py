"""What the coding says: theme prevalence with confidence intervals, overlaps between
themes, themes by kind of user and network group (a joint display), and quotable
examples."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from datasaveslives.coding import agreement, collect, saturation
from datasaveslives.privacy.policy import DELETED_TEXT, NOT_QUOTED


def prevalence(coded: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Share of coded posts carrying each code, with a 95% Wilson interval."""
    # statsmodels is imported here, not with the module: the discussion's prose imports
    # this module for a constant, and statsmodels was most of its kernel's start.
    from statsmodels.stats.proportion import proportion_confint

    n = len(coded)
    rows = []
    for code in codes:
        k = int(coded[code].astype(bool).sum())
        low, high = (
            proportion_confint(k, n, alpha=0.05, method="wilson") if n else (float("nan"),) * 2
        )
        rows.append(
            {
                "code": code,
                "posts": k,
                "coded": n,
                "share": k / n if n else float("nan"),
                "ci_low": float(low),
                "ci_high": float(high),
            }
        )
    return pd.DataFrame(rows, columns=["code", "posts", "coded", "share", "ci_low", "ci_high"])


CODER_RESAMPLES = 999


def with_coders(
    coded: pd.DataFrame,
    post_ids: list[str],
    codes: list[str],
    seed: int,
    resamples: int = CODER_RESAMPLES,
) -> pd.DataFrame:
    """95% intervals of each code's share over ``post_ids`` that carry the coders'
    disagreement as well as the sampling of posts: ``resamples`` times (seeded), draw the
    posts with replacement and, for each, one of its codings (a post two coders coded is
    read by either), then take the middle 95% of the shares. Columns: ``code``,
    ``low_coders``, ``high_coders``; NaN without posts."""
    mine = coded[coded["post_id"].isin(set(post_ids))].sort_values(["post_id", "coder"])
    if mine.empty or not codes:
        return pd.DataFrame(
            {"code": codes, "low_coders": np.nan, "high_coders": np.nan},
            columns=["code", "low_coders", "high_coders"],
        )
    marks = mine[codes].astype(bool).to_numpy(dtype=float)
    per_post = mine.groupby("post_id", sort=True).size().to_numpy()
    start = np.concatenate([[0], np.cumsum(per_post)[:-1]])
    rng = np.random.default_rng(seed)
    n = len(per_post)
    posts = rng.integers(0, n, size=(resamples, n))
    rows = start[posts] + (rng.random((resamples, n)) * per_post[posts]).astype(int)
    shares = marks[rows].mean(axis=1)  # resamples x codes
    low, high = np.percentile(shares, [2.5, 97.5], axis=0)
    return pd.DataFrame({"code": codes, "low_coders": low, "high_coders": high})


def combination(row: pd.Series, codes: list[str]) -> str:
    """The codes a post carries, as one label (``"AC"``; ``"none"`` for no code)."""
    marked = [c for c in codes if bool(row[c])]
    return "".join(marked) if all(len(c) == 1 for c in codes) else " + ".join(marked) or "none"


def overlaps(coded: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Posts per exact combination of codes, largest first (the bars of an UpSet plot)."""
    labels = coded.apply(combination, axis=1, codes=codes).replace("", "none")
    counts = labels.value_counts()
    out = pd.DataFrame({"combination": counts.index, "posts": counts.to_numpy()})
    out["codes"] = out["combination"].map(
        lambda s: 0 if s == "none" else len(s.split(" + ")) if " + " in s else len(s)
    )
    out["share"] = out["posts"] / len(coded) if len(coded) else float("nan")
    return out.sort_values(["posts", "combination"], ascending=[False, True], ignore_index=True)


def by_category(
    coded: pd.DataFrame, codes: list[str], category: pd.Series, order: list[str]
) -> pd.DataFrame:
    """Joint display: for each category (``category`` maps post id to it), the posts
    coded and the share carrying each code."""
    cat = coded["post_id"].map(category)
    rows = []
    for name in order:
        part = coded[cat == name]
        rows.append(
            {
                "category": name,
                "posts": len(part),
                **{c: part[c].astype(bool).mean() if len(part) else float("nan") for c in codes},
            }
        )
    return pd.DataFrame(rows, columns=["category", "posts", *codes])


def examples(
    coded: pd.DataFrame,
    posts: pd.DataFrame,
    codes: list[str],
    text: Callable[[str, str, str | None, str], str | None],
    names: pd.Series,
    per_code: int = 2,
) -> pd.DataFrame:
    """Up to ``per_code`` quotable posts for each code: ``text`` (a privacy rule) must
    return the post's own text, so only allowlisted accounts' posts (and, on the
    synthetic corpus, the texts the paper published) are quoted, never a deleted one.
    Each post is an example once: the codes with the fewest quotable posts choose first
    (ties in the codebook's order), and the table lists the codes in that order."""
    info = posts.set_index("post_id")
    quotable: dict[str, list[tuple[str, str, str]]] = {}
    for code in codes:
        quotable[code] = []
        for pid in coded.loc[coded[code].astype(bool), "post_id"]:
            if pid not in info.index:
                continue
            author = info.at[pid, "author_id"]
            shown = text(pid, author, names.get(author), info.at[pid, "text"])
            if shown not in (None, DELETED_TEXT, NOT_QUOTED):
                quotable[code].append((pid, author, str(shown)))
    chosen: dict[str, list[tuple[str, str, str]]] = {}
    quoted: set[str] = set()
    for code in sorted(codes, key=lambda c: (len(quotable[c]), codes.index(c))):
        fresh = [q for q in quotable[code] if q[0] not in quoted][:per_code]
        quoted.update(pid for pid, _, _ in fresh)
        chosen[code] = fresh
    rows = []
    for code in codes:
        for pid, author, shown in chosen[code]:
            row = coded[coded["post_id"] == pid].iloc[0]
            rows.append(
                {
                    "code": code,
                    "post_id": pid,
                    "text": shown,
                    "account": f"@{names.get(author)}",
                    "codes": combination(row, codes),
                }
            )
    return pd.DataFrame(rows, columns=["code", "post_id", "text", "account", "codes"])


CODED, SUGGESTED = "coded", "assistive coder"


def codes_for_texts(
    texts: list[str],
    originals: pd.DataFrame,
    read: pd.DataFrame,
    codes: list[str],
    suggested: pd.DataFrame,
) -> pd.DataFrame:
    """This run's codes for posts given by their text (the paper's Table 4), one row per
    text: the coding's (the primary coder's, ``read``) where an original post with that
    text was coded, else the assistive coder's suggestion (``suggested``, a row per text),
    with where each row comes from (``source``: CODED or SUGGESTED)."""
    post_of = originals.drop_duplicates("text").set_index("text")["post_id"]
    coded = read.drop_duplicates("post_id").set_index("post_id")
    rows = []
    for i, text in enumerate(texts):
        post = post_of.get(text)
        if post is not None and post in coded.index:
            rows.append({**{c: bool(coded.at[post, c]) for c in codes}, "source": CODED})
        else:
            rows.append({**{c: bool(suggested.iloc[i][c]) for c in codes}, "source": SUGGESTED})
    return pd.DataFrame(rows, columns=[*codes, "source"])


def why_no_shares(coded: bool, n_codes: int, n_random: int) -> str:
    """Why the themes' shares cannot be estimated (a clause), when they cannot."""
    if not coded:
        return "no post has been coded yet"
    if n_codes == 0:
        return (
            "there is no codebook yet, so the codes coders wrote in `new_code` are counted "
            "for saturation, but not estimated as themes"
        )
    if n_random == 0:
        return (
            "every post coded so far belongs to the coding frame (the first posts in date "
            "order), which is not a random sample"
        )
    raise ValueError("the shares can be estimated")


@dataclass(frozen=True)
class Themes:
    """The themes chapter's results, computed once by :func:`compute` from the coding
    and read by the chapter's text, tables and figures and its saved results."""

    codes: list[str]
    coded: pd.DataFrame
    primary: str | None
    read: pd.DataFrame
    curve: pd.DataFrame | None
    saturation: int | None
    random_part: pd.DataFrame
    prevalence: pd.DataFrame | None
    overlaps: pd.DataFrame | None
    agreement: pd.DataFrame | None

    @property
    def has_codes(self) -> bool:
        return not self.coded.empty

    @property
    def coders(self) -> list[str]:
        return sorted(self.coded["coder"].unique())

    @property
    def distinct_codes(self) -> int:
        """Codes used in all (the themes and the codes coders added), in the read posts."""
        curve = self.curve
        return int(curve["distinct_codes"].iloc[-1]) if curve is not None and len(curve) else 0

    @property
    def multi(self) -> int:
        """Posts of the random part carrying two codes or more."""
        if self.overlaps is None:
            return 0
        return int(self.overlaps.loc[self.overlaps["codes"] >= 2, "posts"].sum())

    @property
    def share_multi(self) -> float | None:
        """The share of the random part's posts carrying two codes or more."""
        if self.prevalence is None or not len(self.random_part):
            return None
        return self.multi / len(self.random_part)

    @property
    def top_combination(self) -> pd.Series | None:
        """The commonest combination of two codes or more, if any post has one."""
        if self.overlaps is None:
            return None
        multis = self.overlaps[self.overlaps["codes"] >= 2]
        return multis.iloc[0] if len(multis) else None

    @property
    def commonest(self) -> pd.Series | None:
        """The code on the largest share of the random part (ties: the first declared)."""
        if self.prevalence is None:
            return None
        return self.prevalence.sort_values("share", ascending=False, kind="stable").iloc[0]

    @property
    def added_codes(self) -> pd.DataFrame:
        """The codes coders added beyond the codebook (``new_codes``) in the posts read,
        with the posts carrying each, most frequent first (ties by name)."""
        if "new_codes" not in self.read.columns:
            return pd.DataFrame(columns=["code", "posts"])
        added = self.read["new_codes"].fillna("").astype(str).str.split(";").explode().str.strip()
        counts = added[added != ""].value_counts()
        out = pd.DataFrame({"code": counts.index, "posts": counts.to_numpy()})
        return out.sort_values(["posts", "code"], ascending=[False, True], ignore_index=True)

    @property
    def without_theme(self) -> int:
        """Posts of the random part that carry none of the codebook's codes."""
        if self.prevalence is None:
            return 0
        marked = self.random_part[self.codes].astype(bool).any(axis=1)
        return int((~marked).sum())

    @property
    def agreement_measured(self) -> bool:
        """Whether any post was coded by two coders or more (κ and α are measured)."""
        table = self.agreement
        return table is not None and len(table) > 0 and bool(table["posts"].iloc[0])

    @property
    def agreement_intervals(self) -> dict[str, dict[str, list[float]]]:
        """Each code's 95% intervals of κ and α (``{"A": {"kappa": [lo, hi], ...}}``),
        where they were drawn."""
        table = self.agreement
        if table is None or not self.agreement_measured or "alpha_low" not in table:
            return {}
        return {
            r.code: {
                "kappa": [float(r.kappa_low), float(r.kappa_high)],
                "alpha": [float(r.alpha_low), float(r.alpha_high)],
            }
            for r in table.itertuples()
        }

    @property
    def why_no_shares(self) -> str | None:
        """Why the themes' shares cannot be estimated (None when they are)."""
        if self.prevalence is not None:
            return None
        return why_no_shares(self.has_codes, len(self.codes), len(self.random_part))

    def saved(self, simulated: bool, names: dict[str, str]) -> dict[str, Any]:
        """The chapter's saved results (``results/themes.json``)."""
        prev = self.prevalence
        share_multi = self.share_multi
        return {
            "coded": self.has_codes,
            "simulated": simulated,
            "coders": self.coded["coder"].nunique(),
            "read": len(self.read),
            "distinct_codes": self.distinct_codes,
            "saturation": self.saturation if self.has_codes else None,
            # Shares are estimated from the random part of the order only.
            "prevalence": (
                {r.code: [r.share, r.ci_low, r.ci_high] for r in prev.itertuples()}
                if prev is not None
                else {}
            ),
            "names": names,
            "why_no_shares": self.why_no_shares,
            "pct_multi": share_multi if share_multi is not None and pd.notna(share_multi) else None,
            "kappa": {r.code: r.kappa for r in self.agreement.itertuples()}
            if self.agreement is not None and self.agreement_measured
            else {},
            "alpha": {r.code: r.alpha for r in self.agreement.itertuples()}
            if self.agreement is not None and self.agreement_measured
            else {},
            "intervals": self.agreement_intervals,
        }


def _with_coder_intervals(
    prev: pd.DataFrame,
    coded: pd.DataFrame,
    random_part: pd.DataFrame,
    codes: list[str],
    seed: int | None,
) -> pd.DataFrame:
    """Prevalence with :func:`with_coders`'s intervals, when a seed is given and some
    post of the random part was coded twice (else the Wilson interval says it all)."""
    ids = list(random_part["post_id"])
    twice = coded[coded["post_id"].isin(set(ids))].groupby("post_id")["coder"].nunique()
    if seed is None or not (twice >= 2).any():
        return prev
    return prev.merge(with_coders(coded, ids, codes, seed), on="code", how="left")


def compute(
    coded: pd.DataFrame,
    order: pd.DataFrame,
    codes: list[str],
    batch: int,
    window: int,
    seed: int | None = None,
) -> Themes:
    """Every result of the themes chapter, from every coder's codes (``coded``, one row
    per coder and post) and the reading ``order``: the primary coder's codes in reading
    order, the saturation curve (batches of ``batch``, saturated after ``window`` batches
    without a new code), the themes' prevalence and overlaps over the random part of the
    order (the frame is the first posts by date, not a sample), and the agreement of
    coders who coded the same posts (with bootstrap intervals drawn with ``seed``)."""
    primary = collect.primary_coder(coded)
    has_codes = not coded.empty
    if has_codes and primary is not None:
        read = collect.in_reading_order(coded, order, primary)
        curve = saturation.curve(read, codes, batch=batch, window=window)
        reached = saturation.point(curve)
    else:
        read = pd.DataFrame(columns=["post_id", "phase", *codes])
        curve, reached = None, None
    random_part = read[read["phase"] == "random"]
    estimable = has_codes and bool(codes) and len(random_part) > 0
    n_coders = coded["coder"].nunique()
    return Themes(
        codes=list(codes),
        coded=coded,
        primary=primary,
        read=read,
        curve=curve,
        saturation=reached,
        random_part=random_part,
        prevalence=(
            _with_coder_intervals(prevalence(random_part, codes), coded, random_part, codes, seed)
            if estimable
            else None
        ),
        overlaps=overlaps(random_part, codes) if estimable else None,
        agreement=agreement.table(coded, codes, seed) if n_coders >= 2 and codes else None,
    )
