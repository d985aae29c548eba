"""The themes chapter's case-dependent sentences (``book/themes.md``)."""

from __future__ import annotations

import math

import pandas as pd

from datasaveslives.analysis.themes import CODER_RESAMPLES
from datasaveslives.coding import agreement
from datasaveslives.report import display, wording


def order(frame_size: int, sample: int, random: int, stratify: str | None) -> str:
    """How the posts are ordered for reading: the frame in date order, then the rest in a
    seeded random order (stratified or not)."""
    if not random:
        return (
            "As in the paper, the coding frame is built from the first posts in date order; "
            f"there are no more than its {frame_size:,} here, so all are read in date order "
            "and none in random order"
        )
    how = (
        f"**stratified by {stratify}**, so that every stretch of the order keeps each "
        f"{stratify}'s share of the posts"
        if stratify
        else "**not stratified**"
    )
    return (
        f"As in the paper, the first **{min(frame_size, sample):,}** in date order come "
        f"first, to build the coding frame; the other **{random:,}** follow in a random order "
        f"drawn with the run's seed, {how}"
    )


def sample(sample: int, ordered: int) -> str:
    """What the coding sample holds of the order."""
    if sample < ordered:
        return (
            f"the coding sample and its workbooks hold the first {sample:,} posts of this "
            "order (the `coding_sample` parameter)"
        )
    return "the coding sample holds them all"


def codebook(papers_codes: bool, codes: int, file: str) -> str:
    """What the run's codebook is: the paper's themes, the study's own codes, or none yet
    (and then how to write one)."""
    if papers_codes:
        return (
            f"The {display.counted(codes, 'theme')} below are the paper's; the study's codebook "
            f"(`{file}`) holds their definitions, what to include and exclude, keywords for "
            "the assistive coder and the paper's examples. Researchers can add codes there; a "
            "coder who meets something the codebook lacks writes it in the workbook's "
            "`new_code` column."
        )
    if codes:
        return (
            f"This run's codebook (`{file}`) has {display.counted(codes, 'code')}, below, with "
            "their definitions, what to include and exclude, and keywords for the assistive "
            "coder. A coder who meets something the codebook lacks writes it in the workbook's "
            "`new_code` column."
        )
    return (
        "This run has no codebook yet, so coding starts open. Coders read the sample in its "
        "order and write the codes they see in the workbook's `new_code` column (several "
        "separated by `;`), with a memo where a post is unclear. When the codes settle, write "
        "them down as a codebook: a YAML file listing each code's `id` (its workbook column), "
        "`name`, `definition`, what to `include` and `exclude`, and `keywords`, named by the "
        "`codebook` parameter. Then the sample is coded again against it. Writing the "
        "definitions down is what makes coding checkable: a second coder codes from the same "
        "words, and their agreement (below) shows where the lines are unclear."
    )


def exercise_start(frame_size: int, sample: int, random: int) -> str:
    """Where the exercise's coder starts reading."""
    if random:
        return (
            f"Skip the coding frame: start at the row whose `order` is "
            f"{min(frame_size, sample) + 1} (the first of the random part)"
        )
    return "This run's sample is all coding frame (it has no random part): start at the first row"


def coders_note(simulated: bool, coded: bool) -> str:
    """A note on who coded: simulated coders, or nobody yet (nothing when people did)."""
    if simulated:
        return (
            ":::{important}\n**Simulated coders.** The codes in this chapter were not given by "
            "people. Two simulated coders read the sample: they mark the synthetic corpus's "
            "hidden theme labels, missing and adding themes at set, seeded rates, and note "
            "descriptive codes by keyword rules (`datasaveslives/coding/simulated.py`). They let "
            "the chapter run end to end and show the workflow; they are not a thematic "
            "analysis. Run it on your own coding with `coding_files`.\n:::"
        )
    if not coded:
        return (
            ":::{note}\nNo coding yet. This run wrote the coding sample (below) as a workbook "
            "and a REFI-QDA project; code it, then rerun with `coding_files` naming the coded "
            "files.\n:::"
        )
    return ""


def saturated(reached: int | None, window: int) -> str:
    """When saturation was reached (a phrase after "Saturation was")."""
    if reached:
        return (
            f"after **{reached:,}** posts: the {window} batches that followed brought no new code"
        )
    return f"not reached: some batch among the last {window} still brought a new code"


def saturation(
    primary: str | None, read: int, batch: int, reached: int | None, window: int, distinct: int
) -> str:
    """How far the coding went and when it saturated (no full stop: a figure reference
    follows)."""
    if primary is None:
        return (
            "No post has been coded yet, so there is no saturation to measure: code the sample, "
            "then rerun with `coding_files` naming the coded files"
        )
    return (
        f"The coding is analysed as {primary} read it (**{read:,}** posts), in batches of "
        f"**{batch}** posts. Saturation was {saturated(reached, window)}; **{distinct}** "
        "distinct codes were used in all, the themes and the codes coders added"
    )


def _commonest(commonest: pd.Series, names: dict[str, str]) -> str:
    return (
        f"**{commonest['code']}** ({names[commonest['code']].lower()}, "
        f"**{display.percent(commonest['share'])}**)"
    )


def prevalence(
    random: int,
    commonest: pd.Series | None,
    names: dict[str, str],
    why: str,
    with_coders: bool = False,
) -> str:
    """Over which posts the shares are estimated, their intervals (``with_coders``: a
    second interval that also resamples the coders of posts coded twice), and the
    commonest theme."""
    if commonest is None:
        return f"The themes' shares cannot be estimated: {why}."
    coders = (
        " The last column's intervals also carry the coders' disagreement: each of "
        f"{CODER_RESAMPLES:,} resamples of the posts ({{term}}`bootstrap`, seeded) reads a "
        "post coded twice with either coder's codes."
        if with_coders
        else ""
    )
    return (
        f"Shares are over the **{random:,}** posts coded from the random part of the order, "
        "so they estimate the shares among all original posts, with 95% "
        "{term}`Wilson intervals <Wilson interval>` {cite}`wilson1927`, which count the "
        f"sampling of posts only.{coders} The commonest theme is "
        f"{_commonest(commonest, names)}."
    )


def overlap(share_multi: float | None, top: pd.Series | None, why: str) -> str:
    """How often themes overlap, and the commonest combination."""
    if share_multi is None:
        return f"Overlaps between themes cannot be counted either: {why}."
    combination = (
        f"**{top['combination']}** ({display.percent(top['share'])})."
        if top is not None
        else "none: no post carries two themes."
    )
    return (
        f"**{display.percent(share_multi)}** of the posts carry two themes or more, "
        f'{wording.overlap(share_multi)} ("the same tweets often being classified under '
        f'multiple themes"); the commonest combination of two or more is {combination}'
    )


# Krippendorff's standard, as the chapter states it: rely on codes with α ≥ 0.8, draw only
# tentative conclusions from 0.667 to 0.8, and none below.
ALPHA_RELIABLE = 0.8
ALPHA_TENTATIVE = 0.667


def reliability(
    alphas: dict[str, float],
    names: dict[str, str] | None = None,
    intervals: dict[str, tuple[float, float]] | None = None,
) -> str:
    """Which codes Krippendorff's standard lets a reader rely on, from their α (codes
    named by ``names`` when given, e.g. in the Discussion, which lists themes by name),
    and, given α's 95% ``intervals``, which codes' band the double coding leaves open."""
    bands: dict[str, list[str]] = {"reliable": [], "tentative": [], "below": [], "none": []}
    for key, a in alphas.items():
        code = f"“{names[key].lower()}”" if names and key in names else key
        if math.isnan(a):
            bands["none"].append(code)
        elif a >= ALPHA_RELIABLE:
            bands["reliable"].append(code)
        elif a >= ALPHA_TENTATIVE:
            bands["tentative"].append(code)
        else:
            bands["below"].append(code)

    parts = []
    if bands["reliable"]:
        parts.append(f"{display.listed(bands['reliable'])} can be relied on (α ≥ {ALPHA_RELIABLE})")
    if bands["tentative"]:
        parts.append(
            f"{display.listed(bands['tentative'])} "
            f"support{'s' if len(bands['tentative']) == 1 else ''} "
            f"tentative conclusions only ({ALPHA_TENTATIVE} ≤ α < {ALPHA_RELIABLE})"
        )
    if bands["below"]:
        one = len(bands["below"]) == 1
        parts.append(
            f"{display.listed(bands['below'])} fall{'s' if one else ''} below that standard "
            f"(α < {ALPHA_TENTATIVE}): {'its' if one else 'their'} share above should not be "
            "read as a finding until the definition is sharpened and the posts coded again"
        )
    if bands["none"]:
        parts.append(f"{display.listed(bands['none'])} cannot be judged (no α)")
    if not parts:
        return ""
    judged = "By Krippendorff's standard, " + "; ".join(parts) + "."
    return judged + open_band(intervals or {}, names)


def open_band(intervals: dict[str, tuple[float, float]], names: dict[str, str] | None) -> str:
    """The codes whose α interval crosses a boundary of Krippendorff's standard (0.667,
    0.8): the double-coded posts cannot tell which band they are in ('' when none)."""
    crossing = [
        f"“{names[key].lower()}”" if names and key in names else key
        for key, (low, high) in intervals.items()
        if not (math.isnan(low) or math.isnan(high))
        and any(low < bound <= high for bound in (ALPHA_TENTATIVE, ALPHA_RELIABLE))
    ]
    if not crossing:
        return ""
    if len(crossing) == 1:
        return (
            f" The 95% interval of α for {crossing[0]} crosses a boundary of that standard, "
            "so its band is provisional until more posts are coded twice."
        )
    if len(crossing) == len(intervals):
        return (
            " The intervals are wide, though: every code's 95% interval of α crosses a "
            "boundary of that standard, so each band is provisional until more posts are "
            "coded twice."
        )
    return (
        f" The 95% intervals of α for {display.listed(crossing)} cross a boundary of that "
        "standard, so their bands are provisional until more posts are coded twice."
    )


def agreement_text(coders: list[str], has_codebook: bool, table: pd.DataFrame | None) -> str:
    """Whether coders agree, theme by theme (κ with its reading, α), or why it cannot be
    measured."""
    if table is not None and len(table) and table["posts"].iloc[0]:
        drawn = "alpha_low" in table.columns

        def span(low: float, high: float) -> str:
            return f"; 95% interval {low:.2f} to {high:.2f}" if drawn else ""

        per_theme = "; ".join(
            f"{r.code} κ **{r.kappa:.2f}** ({agreement.reading(r.kappa)}"
            f"{span(r.kappa_low, r.kappa_high) if drawn else ''}), "
            f"α **{r.alpha:.2f}**" + (f" ({span(r.alpha_low, r.alpha_high)[2:]})" if drawn else "")
            if not (math.isnan(r.kappa) or math.isnan(r.alpha))
            else f"{r.code}: no κ or α (every double-coded post has it, or none)"
            for r in table.itertuples()
        )
        intervals = (
            {r.code: (float(r.alpha_low), float(r.alpha_high)) for r in table.itertuples()}
            if drawn
            else None
        )
        judged = reliability(
            {r.code: float(r.alpha) for r in table.itertuples()}, intervals=intervals
        )
        how = (
            " Intervals come from resampling the double-coded posts "
            f"{agreement.RESAMPLES:,} times ({{term}}`bootstrap`, seeded)."
            if drawn
            else ""
        )
        return (
            f"Here {', '.join(coders)} coded; {int(table['posts'].iloc[0]):,} posts were coded "
            f"by two or more. Per theme: {per_theme}.{how} {judged}"
        ).rstrip()
    if not coders:
        return "No one has coded yet, so there is no agreement to measure."
    if len(coders) == 1:
        return (
            f"Only {coders[0]} coded, so agreement cannot be measured: a second coder must "
            "code part of the sample too."
        )
    if not has_codebook:
        return (
            "The coders coded openly, without a codebook, so their themes cannot be compared "
            "code by code."
        )
    return "No post was coded by two coders, so agreement cannot be measured."


def assist(primary: str | None, rules: str | None, model: str | None, why: str) -> str:
    """How well the keyword rules and the small model reproduce the coder's codes (the
    scores as ``assist.score_text`` prints them), or why they were not tried."""
    if rules is None or model is None:
        return (
            "Could a program take over the reading? Not on this run: an assistive coder is "
            f"trained and scored on posts coded against a codebook, and {why}."
        )
    return (
        f"Could a program take over the reading? Two aids were scored against the codes of "
        f"{primary}, the coder this chapter analyses. **Keyword rules** (a theme applies when "
        f"one of its codebook keywords is in the post) are transparent but blunt: {rules}. A "
        "**small supervised model** ({term}`TF-IDF` word features, logistic regression, one per "
        "theme), trained on the coded posts and scored by cross-validation (κ, and "
        f"{{term}}`F1`), reaches {model}."
    )


def table4(examples: int, matched: int, cells: float, decisions: int) -> str:
    """How many of the paper's Table 4 examples the model codes as the paper did."""
    return (
        f"Trained on every coded post and given the {examples} example tweets of the paper's "
        f"Table 4, the model reproduces the paper's codes exactly for **{matched}** of the "
        f"{examples}, and **{display.percent(cells)}** of the {decisions} theme decisions."
    )


def table4_compared(coded: int, suggested: int, simulated: bool, synthetic: bool) -> str:
    """What the table of Table 4's codes against this run's compares: ``coded`` posts
    with this run's coding, ``suggested`` with the assistive coder's suggestion; on the
    synthetic corpus (``synthetic``), which carries the paper's codes as the posts'
    themes, whose a miss is."""
    whose = "simulated coders'" if simulated else "coders'"
    parts = []
    if coded:
        parts.append(
            f"this run's {whose} codes for the {display.counted(coded, 'post')} they coded"
        )
    if suggested:
        parts.append(
            f"the assistive coder's (above) for the {display.counted(suggested, 'post')} "
            "no one coded"
        )
    by = []
    if coded:
        by.append("a simulated coder's (at set error rates)" if simulated else "a coder's")
    if suggested:
        by.append("the assistive coder's (learnt from this run's coding)")
    miss = (
        "The synthetic corpus carries these posts with the paper's codes as their themes, "
        f"so a miss is {' or '.join(by)}, not the corpus's."
        if synthetic
        else "A miss is a post this run reads differently from the paper's coders."
    )
    return (
        "Each of the paper's codes for its Table 4 posts (1: the theme applies, 0: it does "
        f"not) against this run's, as the reproduction report counts them: {'; '.join(parts)}. "
        + miss
    )


def suggestions(uncoded: int, shares: dict[str, float]) -> str:
    """What the model would suggest for the posts no one coded."""
    if not uncoded:
        return "Every original post has been coded, so there is nothing left for it to suggest."
    listed = "; ".join(f"{c} {display.percent(s)}" for c, s in shares.items())
    return (
        f"For the **{uncoded:,}** posts no one coded it would suggest {listed} — suggestions "
        "with the error measured above, to point a coder at posts worth reading, never codes "
        "in their own right."
    )


def paper_themes(
    on_five_percent: int,
    codes: int,
    share_multi: float,
    reached: int | None,
    simulated: bool,
) -> str:
    """This run's themes set beside what the paper reported of its own."""
    came = f"after {reached:,} posts read" if reached else "not at all"
    coders = " (with simulated coders, whose error rates are set, not found)." if simulated else "."
    return (
        "The paper reported its themes and their overlap, not their shares, and saturation "
        f"after about 1,000 posts read. Here {on_five_percent} of the {codes} codes are on at "
        f"least 5% of the posts, {display.percent(share_multi)} of the posts carry two codes "
        f"or more, and saturation came {came}{coders}"
    )


def no_paper_themes(declared: bool) -> str:
    """Why no comparison with the paper's themes is made."""
    why = (
        "this run's codebook is not the paper's."
        if declared
        else "this run declares no study with published themes."
    )
    return f"No comparison with a paper's themes is made: {why}"


def summary(
    coders: list[str],
    present: int,
    papers_codes: bool,
    themes: int,
    commonest: pd.Series | None,
    names: dict[str, str],
    share_multi: float | None,
    saturation: str,
    why: str,
    alpha: float | None = None,
) -> str:
    """The chapter's summary paragraph (``alpha``: the commonest code's α, when coders'
    agreement was measured; below Krippendorff's bands it qualifies the headline)."""
    if commonest is None or share_multi is None:
        return (
            f"This run says nothing yet about what the posts were about: {why}. The coding "
            "sample is ready for coders (above)."
        )
    whose = "paper" if papers_codes else "codebook"
    return (
        f"Coded by {', '.join(coders)}, the posts show {present} of the {whose}'s "
        f"{display.counted(themes, 'theme')}: the commonest is {_commonest(commonest, names)}"
        f"{standing(alpha)}. **{display.percent(share_multi)}** of the posts carry two "
        f"themes or more, {wording.overlap(share_multi)}. Saturation was {saturation}."
    )


def standing(alpha: float | None) -> str:
    """How far the coders' agreement on a code lets its share be read as a finding: ''
    when reliable (α ≥ 0.8) or not measured, else a clause after the code's share."""
    if alpha is None or math.isnan(alpha) or alpha >= ALPHA_RELIABLE:
        return ""
    if alpha >= ALPHA_TENTATIVE:
        return (
            f", a tentative finding only (coders' α {alpha:.2f}, between {ALPHA_TENTATIVE} "
            f"and {ALPHA_RELIABLE})"
        )
    return (
        f", though not yet a finding (coders' α {alpha:.2f}, below Krippendorff's "
        f"{ALPHA_TENTATIVE})"
    )


def primary(coder: str | None) -> str:
    """The coder whose coding the chapter analyses."""
    return coder or "no one yet (this run has no coding)"


def in_words(
    code: str,
    name: str,
    description: str,
    quotations: list[tuple[str, str | None, int | None]],
) -> str:
    """A theme as the study described it, with the posts it quoted (text, the account if
    it may be named, the study's group): Markdown, one paragraph and a quotation each."""
    parts = [f"**{code}: {name}.** {description}".rstrip()]
    for text, account, group in quotations:
        who = account or "an account the paper quoted, not named here"
        where = f" (the paper's group {group})" if group is not None else ""
        parts.append(f"> {text}\n>\n> — {who}{where}")
    return "\n\n".join(parts)


def worked_intro(posts: int, codes: int) -> str:
    """What the worked example holds, or why there is none."""
    if not codes:
        return "Without a codebook there is nothing to code against yet, so no worked example."
    if not posts:
        return (
            "This run's codebook has no worked example; a `worked_example` list in it (posts, "
            "their codes, and the reason for each decision) would be shown here."
        )
    return (
        f"How does a coder decide? The codebook works through "
        f"{display.counted(posts, 'post')} with the reasons for every decision, "
        "code by code: ✓ the code applies, ✗ it does not. Cover the reasons, code the "
        "post yourself, then compare."
    )


def worked_post(
    number: int,
    text: str,
    account: str | None,
    given: list[str],
    reasons: list[tuple[str, str, str]],
) -> str:
    """One worked post: the quotation, the codes it was given, and each code's decision
    with its reason (``reasons``: code, name, reason); Markdown."""
    who = account or "an account not named here"
    codes = ", ".join(given) if given else "none of the codes"
    lines = [
        f"**Post {number}.**",
        "",
        f"> {text}\n>\n> — {who}",
        "",
        f"Coded: **{codes}**.",
        "",
    ]
    for code, name, reason in reasons:
        mark = "✓" if code in given else "✗"
        lines.append(f"- {mark} **{code}** ({name.lower()}): {reason}")
    return "\n".join(lines)


def in_words_intro(described: int, codes: int) -> str:
    """What the section describing the themes in words holds."""
    if not codes:
        return "Without a codebook there are no themes to describe yet."
    if not described:
        return "This run's codebook describes its codes by their definitions only (above)."
    which = "each of its themes" if described == codes else f"{described} of its {codes} codes"
    return (
        f"The codebook describes {which} in words, with the posts the study quoted as "
        "examples; accounts not on the run's allowlist are not named, and @-mentions of them "
        "are masked, as everywhere in this book."
    )


def beyond_the_themes(without: int, random: int, added: list[tuple[str, int]], read: int) -> str:
    """What the themes do not cover: the posts with none of them, and the codes coders
    added beyond the codebook (with the posts carrying each)."""
    if not random:
        return ""
    if without:
        share = display.percent(without / random)
        none = (
            f"{display.counted(without, 'post')} of the {random:,} ({share}) "
            f"{'carries' if without == 1 else 'carry'} none of the themes."
        )
    else:
        none = f"Every one of the {random:,} posts carries at least one theme."
    if not added:
        return f"{none} Coders added no code of their own in the {read:,} posts read."
    listed = ", ".join(f"{code} ({n:,})" for code, n in added)
    return (
        f"{none} Coders added {display.counted(len(added), 'code')} of their own in the "
        f"{read:,} posts read (posts carrying each): {listed}."
    )


# The paper's reading of its joint result (Results, "What did people use...?"), in its
# group numbers: groups are numbered by size, so 1 to 3 are its three largest.
PAPER_JOINT_GROUPS = (1, 2, 3)


def joint_intro(paper_declared: bool, here_of_paper: dict[int, int]) -> str:
    """The joint display's opening: the paper's claim it checks (with the paper's groups
    in this run's numbers, ``here_of_paper``: the paper's number -> this run's) when the
    run compares with the paper, else what the table sets side by side."""
    side = (
        "each theme's share among the posts of official supporters and of others "
        "({ref}`users`), and of the five largest network groups ({ref}`network`)"
    )
    if not paper_declared:
        return (
            "Mixed methods join the qualitative result to the quantitative ones. The table "
            f"below sets them side by side: {side}."
        )
    here = [here_of_paper.get(g) for g in PAPER_JOINT_GROUPS]
    if all(h is not None for h in here):
        where = (
            "; its groups 1, 2 and 3 are this run's groups "
            f"{here[0]}, {here[1]} and {here[2]}, by the accounts they share ({{ref}}`network`)"
        )
        if here == list(PAPER_JOINT_GROUPS):
            where = "; its groups 1, 2 and 3 are this run's groups of the same numbers"
    else:
        where = (
            "; not all of its groups 1, 2 and 3 are matched to a group of this run, so the "
            "table shows this run's groups as they are"
        )
    return (
        "Mixed methods join the qualitative result to the quantitative ones. The paper wrote "
        "that information sharing was the commonest use “particularly by official "
        f"supporters and members of groups 1, 2, and 3”{where}. The table below puts that "
        f"side by side: {side}."
    )
