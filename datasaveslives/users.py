"""Who: posts per user, activity groups, and the official supporters' share."""

from __future__ import annotations

from typing import Any

import pandas as pd

from datasaveslives.schema import POST_TYPES


def posts_per_user(posts: pd.DataFrame) -> pd.DataFrame:
    """One row per posting user: posts by type and in total, most active first."""
    table = (
        pd.crosstab(posts["author_id"], posts["type"])
        .reindex(columns=list(POST_TYPES), fill_value=0)
        .rename_axis(index="user_id", columns=None)
    )
    table["total"] = table.sum(axis=1)
    return table.sort_values(["total", "user_id"], ascending=[False, True]).reset_index()


def activity_summary(per_user: pd.DataFrame) -> dict[str, Any]:
    """The paper's activity figures: users posting once, 10+ and 100+ times, the maximum."""
    total = per_user["total"]
    ten = total >= 10
    return {
        "users": len(per_user),
        "posts": int(total.sum()),
        "once": int((total == 1).sum()),
        "ten_plus": int(ten.sum()),
        "ten_plus_posts": int(total[ten].sum()),
        "hundred_plus": int((total >= 100).sum()),
        "max": int(total.max()) if len(total) else 0,
        "users_by_type": {t: int((per_user[t] > 0).sum()) for t in POST_TYPES},
    }


def is_supporter(users: pd.DataFrame, supporters: list[str]) -> pd.Series:
    """Per user_id: is the account one of the official supporters (by screen name,
    case-insensitive)?"""
    names = {s.casefold() for s in supporters}
    flags = users["screen_name"].fillna("").str.casefold().isin(names)
    return pd.Series(flags.to_numpy(), index=users["user_id"])
