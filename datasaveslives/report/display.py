"""Formatting tables for the book: readable in HTML and in the PDF alike."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

import pandas as pd
from IPython.display import Markdown


def percent(x: float, digits: int = 2) -> str:
    """``0.3005`` -> ``'30.05%'``; NaN -> an en dash."""
    return "–" if pd.isna(x) else f"{100 * x:.{digits}f}%"


def count(x: float) -> str:
    """``13895`` -> ``'13,895'``; NaN -> an en dash."""
    return "–" if pd.isna(x) else f"{int(x):,}"


def number(x: float) -> str:
    """A number as printed: integers with thousands separators, others to at most
    three decimals (trailing zeros dropped); NaN as an en dash."""
    if pd.isna(x):
        return "–"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.3f}".rstrip("0").rstrip(".")


def intervals_joined(table: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """``table`` with each ``name`` column shown with its interval (``name_low``,
    ``name_high``, then dropped) as "0.65 (0.55 to 0.75)"; unchanged without them."""
    out = table.copy()
    for name in names:
        low, high = f"{name}_low", f"{name}_high"
        if low not in out.columns:
            out[name] = out[name].map(number)
            continue
        out[name] = [
            number(v) if pd.isna(lo) else f"{number(v)} ({number(lo)} to {number(hi)})"
            for v, lo, hi in zip(out[name], out[low], out[high], strict=True)
        ]
        out = out.drop(columns=[low, high])
    return out


def group_label(group: int, paper_of: dict[int, int]) -> str:
    """A network group as the book shows it: this run's number, and the paper's where
    the groups are matched (``"3 (paper's 4)"``)."""
    paper = paper_of.get(int(group))
    return f"{int(group)} (paper's {paper})" if paper is not None else str(int(group))


def central_accounts(pairs: Iterable[tuple[str, float]]) -> str:
    """Accounts with their eigenvector centrality as the book lists them:
    ``@a (1.00), user-1f2e… (0.41)`` ('' for none)."""
    return ", ".join(f"{account} ({score:.2f})" for account, score in pairs)


def listed(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` ('' for none)."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def file_names(paths: Iterable[str]) -> list[str]:
    """Each file by the fewest trailing parts of its path that tell every file apart (its
    name alone when names differ; ``search/000001.jsonl.gz`` beside
    ``profiles/000001.jsonl.gz``): no folder of this machine is shown."""
    parts = [str(p).replace("\\", "/").split("/") for p in paths]
    deepest = max((len(p) for p in parts), default=1)
    for depth in range(1, deepest + 1):
        shown = ["/".join(p[-depth:]) for p in parts]
        if len(set(shown)) == len(shown):
            return shown
    return ["/".join(p) for p in parts]  # the same path twice: shown as it is


def named_accounts(accounts: list[str], may_name: Callable[[str], bool]) -> str:
    """Account names as a list a reader may see: those ``may_name`` allows, with @, and
    a count of the others ("@A, @B and 1 account not named here")."""
    named = [f"@{a}" for a in accounts if may_name(a)]
    hidden = len(accounts) - len(named)
    if hidden:
        named.append(f"{counted(hidden, 'account')} not named here")
    return listed(named)


def format_table(
    table: pd.DataFrame,
    *,
    counts: Iterable[str] = (),
    percents: Iterable[str] = (),
    numbers: Iterable[str] = (),
    rename: dict[str, str] | Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """A copy of ``table`` with numbers as display strings and readable column names.

    Formatting to strings (rather than a Styler) keeps tables identical in
    the HTML and LaTeX outputs.
    """
    out = table.copy()
    for col in counts:
        out[col] = out[col].map(count)
    for col in percents:
        out[col] = out[col].map(percent)
    for col in numbers:
        out[col] = out[col].map(number)
    return out.rename(columns=rename or {}).reset_index(drop=True)


# What a table without rows shows: chapters say why a table is empty, this is the net.
EMPTY_TABLE = "This table has no rows for this run."


# A value this long or shorter is kept on one line in the web book's tables.
SHORT_VALUE = 16


def short_columns(frame: pd.DataFrame, longest: int = SHORT_VALUE) -> list[int]:
    """The positions of the columns whose every value is at most ``longest`` characters
    (numbers, ranks, short labels): those the web book keeps on one line."""
    return [
        i
        for i in range(frame.shape[1])
        if frame.iloc[:, i].map(lambda v: len(str(v))).max() <= longest
    ]


class Table:
    """A table that shows as HTML in the web book and as a Markdown table in the PDF
    (myst-nb renders ``text/latex`` as mathematics, so the PDF takes the Markdown,
    which Sphinx typesets as a LaTeX table), without the meaningless row index."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame.reset_index(drop=True)

    def _repr_html_(self) -> str:
        if self.frame.empty:
            return f"<p><em>{EMPTY_TABLE}</em></p>"
        # The table's id from its content, not a random one: the same table, the same page.
        uuid = hashlib.sha256(self.frame.to_csv().encode()).hexdigest()[:10]
        # Short values (numbers, ranks, "N/A") stay on one line; the long texts wrap to
        # make room (compendium.css), so that a wide table fits the page.
        unbroken = [
            {"selector": f"td.col{i}", "props": "white-space: nowrap"}
            for i in short_columns(self.frame)
        ]
        style = self.frame.style.hide(axis="index").set_uuid(uuid)
        return style.set_table_styles(unbroken, overwrite=False).to_html()

    def _repr_markdown_(self) -> str:
        # A header without rows would stop the PDF (Sphinx's LaTeX writer needs a body).
        return f"*{EMPTY_TABLE}*" if self.frame.empty else markdown_table(self.frame)

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#$~{}])")
# What would start a list (- + 1. 1)) or a comment (%) at the start of a list item.
_LIST_START = re.compile(r"^(\d*)([-+.)%])")


def markdown_table(frame: pd.DataFrame) -> str:
    """``frame`` as a MyST list table, every Markdown special character escaped, with
    column widths in proportion to each column's longest text (within 7 to 40
    characters), so that the PDF wraps a long table's cells within the page instead of
    running off its edge (Sphinx sets a long table at its columns' natural widths unless
    it is given theirs)."""

    def cell(value: object) -> str:
        text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        text = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
        text = _LIST_START.sub(r"\1\\\2", text)
        return text or " "

    header = [cell(c) for c in frame.columns]
    rows = [[cell(v) for v in row] for row in frame.itertuples(index=False)]
    # Three characters of padding, so that a short column (a number) is not split.
    widths = [
        min(40, max(7, 3 + max(len(text) for text in column)))
        for column in zip(header, *rows, strict=True)
    ]
    lines = [
        ":::{list-table}",
        ":header-rows: 1",
        f":widths: {' '.join(str(w) for w in widths)}",
        "",
    ]
    for row in [header, *rows]:
        lines.append("* - " + row[0])
        lines += [f"  - {text}" for text in row[1:]]
    lines.append(":::")
    return "\n".join(lines)


def show(table: pd.DataFrame) -> Table:
    """``table`` for display: HTML in the web book, LaTeX in the PDF."""
    return Table(table)


def synthetic_banner(synthetic: bool, label: str) -> None:
    """Show a warning box naming the data as synthetic; nothing when the data are real
    (an empty Markdown output would show as its Python repr)."""
    if synthetic:
        show_markdown(
            ":::{warning}\n"
            f"**Synthetic data.** This run analyses {label}: a model of the #datasaveslives "
            "campaign calibrated to the paper's published figures, not real tweets. "
            "See {doc}`about_data`.\n"
            ":::\n"
        )


def show_markdown(text: str) -> None:
    """Display ``text`` as Markdown in a notebook (nothing when it is empty)."""
    if text:
        from IPython.display import display

        display(Markdown(text))


def file_size(size: int) -> str:
    """A file's size as a reader gauges a download: ``2.1 MB``, ``840 kB``, ``312 bytes``
    (decimal units, as browsers show them)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:,.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:,.0f} kB"
    return counted(size, "byte")


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and its noun, singular for one: ``1 group``, ``42 groups``."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def median_iqr(median: float, q1: float, q3: float) -> str:
    """``12 (5–40)``: a median and its interquartile range; "unknown" when no value is
    known (e.g. follower counts a platform's posts do not carry)."""
    if pd.isna(median):
        return "unknown"
    return f"{number(median)} ({number(q1)}–{number(q3)})"


def stat(x: float, digits: int = 3) -> str:
    """A statistic to ``digits`` decimals, or "not defined" when it is NaN."""
    return "not defined" if pd.isna(x) else f"{x:.{digits}f}"


def no_posts_note(n_posts: int) -> None:
    """Show a note box when the run has no post to analyse (nothing otherwise), so that
    an empty window gives a short book that says so."""
    if n_posts:
        return
    show_markdown(
        ":::{note}\n"
        "**No posts.** No post of this run's data carries its hashtag within its window, so "
        "there is nothing to analyse here: the counts below are zero, and no statistic or "
        "figure can be computed. {doc}`data_methods` shows what was read and why it was left "
        "out.\n"
        ":::\n"
    )


def pvalue(p: float) -> str:
    """A p-value as journals print it: ``P<.001``, ``P=.03``."""
    if pd.isna(p):
        return "P not defined"
    if p < 0.001:
        return "P<.001"
    return f"P={p:.3f}".replace("0.", ".")


def comparison(table: pd.DataFrame) -> Table:
    """A "paper vs this run" table (from ``comparison.table``) as shown in the book."""
    shown = table.drop(columns=["key", "section", "tolerance_name"], errors="ignore")
    if "note" in shown:  # saved and read back, an empty note is missing
        shown = shown.assign(note=shown["note"].fillna(""))
    return show(
        format_table(shown, numbers=["paper", "this run", "difference"], rename=str.capitalize)
    )


# Floating values in the book's CSV downloads: this many significant digits, so that the
# same results give the same file (the last digits of a float can differ with the
# order of a sum) and no download claims more precision than the analysis has.
