"""What the coding says: theme prevalence with confidence intervals, overlaps between
themes, themes by kind of user and network group (a joint display), and quotable
examples."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from datasaveslives.privacy.policy import DELETED_TEXT, NOT_QUOTED


def prevalence(coded: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Share of coded posts carrying each code, with a 95% Wilson interval."""
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
    synthetic corpus, the texts the paper published) are quoted, never a deleted one."""
    info = posts.set_index("post_id")
    rows = []
    for code in codes:
        found = 0
        for pid in coded.loc[coded[code].astype(bool), "post_id"]:
            if pid not in info.index:
                continue
            author = info.at[pid, "author_id"]
            shown = text(pid, author, names.get(author), info.at[pid, "text"])
            if shown in (None, DELETED_TEXT, NOT_QUOTED):
                continue
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
            found += 1
            if found == per_code:
                break
    return pd.DataFrame(rows, columns=["code", "post_id", "text", "account", "codes"])


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
