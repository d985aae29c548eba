"""Saturation: how many new codes each batch of posts read brings, and when they stop."""

from __future__ import annotations

import pandas as pd


def codes_of(row: pd.Series, codes: list[str]) -> set[str]:
    """The codebook codes marked on a coded row and the new codes it adds."""
    found = {c for c in codes if bool(row[c])}
    found |= {c.strip() for c in str(row["new_codes"] or "").split(";") if c.strip()}
    return found


def curve(coded: pd.DataFrame, codes: list[str], batch: int = 50, window: int = 3) -> pd.DataFrame:
    """One coder's posts in reading order, in batches of ``batch``: new codes per batch
    and distinct codes so far. ``saturated`` marks the batch after which ``window``
    batches in a row brought no new code (the first such batch only)."""
    seen: set[str] = set()
    rows = []
    for start in range(0, len(coded), batch):
        part = coded.iloc[start : start + batch]
        found = (
            set().union(*(codes_of(r, codes) for _, r in part.iterrows())) if len(part) else set()
        )
        new = found - seen
        seen |= found
        rows.append(
            {
                "batch": start // batch + 1,
                "posts_read": start + len(part),
                "new_codes": len(new),
                "distinct_codes": len(seen),
                "which": ", ".join(sorted(new)),
            }
        )
    out = pd.DataFrame(
        rows, columns=["batch", "posts_read", "new_codes", "distinct_codes", "which"]
    )
    out["saturated"] = False
    for i in range(len(out)):
        after = out["new_codes"].iloc[i + 1 : i + 1 + window]
        if len(after) == window and (after == 0).all() and out["new_codes"].iloc[i] > 0:
            out.loc[out.index[i], "saturated"] = True
            break
    return out


def point(table: pd.DataFrame) -> int | None:
    """Posts read when saturation was reached (None if it was not)."""
    hit = table[table["saturated"]]
    return int(hit["posts_read"].iloc[0]) if len(hit) else None
