"""The qualitative coding workflow: codebook, coding order, workbook and REFI-QDA round
trips, bad coding files, agreement against known values, saturation, prevalence,
examples under the privacy rules, the simulated and assistive coders."""

from __future__ import annotations

import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from datasaveslives.analysis import themes
from datasaveslives.coding import (
    agreement,
    assist,
    codebook,
    qdpx,
    sampling,
    saturation,
    simulated,
    workbook,
)
from datasaveslives.coding.workbook import CodingFileError
from datasaveslives.paper import comparison
from datasaveslives.privacy import policy

CB = codebook.load()
TABLE4 = comparison.paper()["themes"]["table4_examples"]


@pytest.fixture
def sample():
    return pd.DataFrame(
        {
            "order": [1, 2, 3, 4],
            "post_id": ["771262126617526912", "2", "3", "4"],
            "created_at": pd.to_datetime(["2016-09-01 10:00"] * 4, utc=True),
            "author": ["@FarrInstitute", "user-1a2b3c4d", "user-5e6f7a8b", "@AMRC"],
            "text": [
                "Join us at #iforh2017 today",
                "Great paper on data, ünïcode ✓",
                "Why data saves lives",
                "Register now!",
            ],
        }
    )


@pytest.fixture
def coded():
    rows = [
        ("alex", "771262126617526912", 1, 1, 0, 1, "live event reporting", "check B?"),
        ("alex", "2", 1, 0, 1, 0, "patient experience; research findings", ""),
        ("alex", "3", 0, 0, 0, 0, "", ""),  # read, no code applies
        ("sam", "771262126617526912", 0, 1, 0, 1, "", ""),
        ("sam", "4", 0, 0, 0, 1, "", "memo: ok"),
    ]
    return pd.DataFrame(
        [
            {
                "coder": r[0],
                "post_id": r[1],
                "A": bool(r[2]),
                "B": bool(r[3]),
                "C": bool(r[4]),
                "D": bool(r[5]),
                "new_codes": r[6],
                "memo": r[7],
            }
            for r in rows
        ],
        columns=workbook.coded_columns(CB),
    )


def _sorted(df):
    return df.sort_values(["coder", "post_id"], ignore_index=True)


# --- codebook ---------------------------------------------------------------


def test_the_codebook_has_the_papers_four_themes():
    assert CB.ids == ["A", "B", "C", "D"]
    assert CB.by_id("D").name == "As a call to action"
    assert all(c.definition and c.include and c.exclude and c.keywords for c in CB.codes)
    assert len(CB.descriptive) >= 10


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("codes: []\n", "non-empty list `codes`"),
        ("codes:\n  - {id: A, name: x}\n", "`definition` is required"),
        (
            "codes:\n  - {id: A, name: x, definition: y}\n  - {id: a, name: z, definition: w}\n",
            "used twice",
        ),
        ("codes:\n  - {id: 'A B', name: x, definition: y}\n", "letters, digits"),
        ("codes: [\n", "not valid YAML"),
        (
            "codes:\n  - {id: A, name: x, definition: y}\n"
            "worked_example:\n  - {text: t, codes: [B], reasons: {A: r}}\n",
            "codes not in the codebook: B",
        ),
        (
            "codes:\n  - {id: A, name: x, definition: y}\n  - {id: B, name: z, definition: w}\n"
            "worked_example:\n  - {text: t, codes: [A], reasons: {A: r}}\n",
            "one reason for each code",
        ),
        (
            "codes:\n  - {id: A, name: x, definition: y}\nworked_example:\n  - {codes: [A]}\n",
            "a `text`",
        ),
    ],
)
def test_a_bad_codebook_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "codebook.yml"
    path.write_text(text)
    with pytest.raises(codebook.CodebookError, match=message):
        codebook.load(path)


# --- coding order -------------------------------------------------------------


@pytest.fixture
def originals():
    n = 60
    return pd.DataFrame(
        {
            "post_id": [f"{i:03d}" for i in range(n)],
            "created_at": pd.date_range("2016-09-01", periods=n, freq="5D", tz="UTC"),
            "author_id": [f"u{i % 7}" for i in range(n)],
            "type": ["original" if i % 4 else "quote" for i in range(n)],
            "text": [f"post {i}" for i in range(n)],
        }
    )


def test_coding_order_starts_with_the_first_posts_by_date_then_a_seeded_shuffle(originals):
    order = sampling.coding_order(originals.sample(frac=1, random_state=3), first=10, seed=1)
    assert order["order"].tolist() == list(range(1, 61))
    assert order["post_id"].head(10).tolist() == [f"{i:03d}" for i in range(10)]
    assert (order["phase"].head(10) == "frame").all() and (
        order["phase"].iloc[10:] == "random"
    ).all()
    rest = order["post_id"].iloc[10:].tolist()
    assert sorted(rest) == [f"{i:03d}" for i in range(10, 60)] and rest != sorted(rest)
    again = sampling.coding_order(originals, first=10, seed=1)
    assert again["post_id"].tolist() == order["post_id"].tolist()
    assert (
        sampling.coding_order(originals, first=10, seed=2)["post_id"].tolist()
        != order["post_id"].tolist()
    )


def test_a_stratified_order_keeps_every_prefix_proportional(originals):
    order = sampling.coding_order(originals, first=0, seed=4, stratify="type")
    quotes = (order["stratum"] == "quote").cumsum()
    # 15 of 60 posts are quotes: every prefix of 20 holds 5 ± 1 of them.
    for k in (20, 40, 60):
        assert abs(quotes.iloc[k - 1] - k / 4) <= 1
    groups = {f"u{i}": i + 1 for i in range(7)}
    by_group = sampling.coding_order(
        originals, first=0, seed=4, stratify="group", groups=groups, top_groups=3
    )
    assert set(by_group["stratum"]) == {"group 1", "group 2", "group 3", "other"}
    with pytest.raises(ValueError, match="stratify must be one of"):
        sampling.coding_order(originals, stratify="weekday")


# --- round trips ----------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_workbooks_round_trip_to_identical_codes(tmp_path, sample, coded, suffix):
    ids = set(sample["post_id"])
    back = []
    for coder, own in coded.groupby("coder"):
        path = workbook.export(sample, CB, tmp_path / f"coding_{coder}{suffix}", coded=own)
        back.append(workbook.read(path, CB, ids))
    pd.testing.assert_frame_equal(_sorted(pd.concat(back)), _sorted(coded))


def test_the_xlsx_workbook_keeps_ids_as_text_and_carries_the_codebook(tmp_path, sample):
    path = workbook.export(sample, CB, tmp_path / "coding.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Coding", "Codebook", "How to code"]
    header = [c.value for c in wb["Coding"][1]]
    assert header == [
        "order",
        "post_id",
        "date",
        "author",
        "text",
        "A",
        "B",
        "C",
        "D",
        "read",
        "new_code",
        "memo",
    ]
    assert wb["Coding"]["B2"].value == "771262126617526912"
    assert wb["Codebook"]["B5"].value == "As a call to action"
    assert (tmp_path / "coding.xlsx").exists()
    csv_path = workbook.export(sample, CB, tmp_path / "coding.csv")
    assert (tmp_path / "coding_codebook.csv").is_file() and csv_path.read_bytes().startswith(
        b"\xef\xbb\xbf"
    )


def test_a_refi_qda_project_round_trips_to_identical_codes(tmp_path, sample, coded):
    path = qdpx.export(sample, CB, tmp_path / "sample.qdpx", coded=coded)
    back = qdpx.read(path, CB, set(sample["post_id"]))
    pd.testing.assert_frame_equal(_sorted(back), _sorted(coded))
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        xml = zf.read("project.qde").decode()
    assert names[0] == "project.qde" and sum(n.startswith("sources/") for n in names) == 4
    assert 'xmlns="urn:QDA-XML:project:1.0"' in xml and "A: To index and share information" in xml
    # Deterministic: the same input gives the same bytes.
    assert (
        qdpx.export(sample, CB, tmp_path / "again.qdpx", coded=coded).read_bytes()
        == path.read_bytes()
    )


# Child order of the REFI-QDA 1.0 project schema (Project.xsd) for the elements written.
SEQUENCE = {
    "Project": ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets"],
    "TextSource": ["Description", "PlainTextContent", "PlainTextSelection", "Coding", "NoteRef"],
    "PlainTextSelection": ["Description", "Coding", "NoteRef"],
    "Code": ["Description", "NoteRef", "Code"],
    "Set": ["Description", "MemberCode", "MemberSource", "MemberNote"],
    "Note": ["Description", "PlainTextContent"],
}


def test_the_project_follows_the_schemas_element_order(tmp_path, sample, coded):
    from xml.etree import ElementTree as ET

    path = qdpx.export(sample, CB, tmp_path / "sample.qdpx", coded=coded)
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("project.qde"))
    checked = 0
    for element in root.iter():
        tag = element.tag.split("}")[1]
        if tag in SEQUENCE:
            order = [SEQUENCE[tag].index(c.tag.split("}")[1]) for c in element]
            assert order == sorted(order), tag
            checked += 1
    assert checked > 10
    guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert len(guids) == len(set(guids))
    assert all(len(g) == 36 and g.count("-") == 4 for g in guids)


def test_an_uncoded_refi_qda_project_holds_the_codebook_and_texts(tmp_path, sample):
    path = qdpx.export(sample, CB, tmp_path / "blank.qdpx")
    with zipfile.ZipFile(path) as zf:
        texts = sorted(zf.read(n).decode() for n in zf.namelist() if n.startswith("sources/"))
    assert texts == sorted(sample["text"])
    with pytest.raises(CodingFileError, match="holds no coding"):
        qdpx.read(path, CB)


def test_codes_from_another_tool_named_by_id_are_matched(tmp_path, sample, coded):
    path = qdpx.export(sample, CB, tmp_path / "p.qdpx", coded=coded)
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    files["project.qde"] = files["project.qde"].replace(
        b'name="B: For reporting and discussion at events"', b'name="b"'
    )
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    assert _sorted(qdpx.read(path, CB))["B"].tolist() == _sorted(coded)["B"].tolist()


# --- bad coding files ---------------------------------------------------------------


def _edit(path, cell, value):
    wb = openpyxl.load_workbook(path)
    wb["Coding"][cell] = value
    wb.save(path)


@pytest.fixture
def exported(tmp_path, sample, coded):
    return workbook.export(
        sample, CB, tmp_path / "coding_alex.xlsx", coded=coded[coded["coder"] == "alex"]
    )


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("M1", "E", r"row 1: unknown code column\(s\) E"),
        ("F3", "maybe", r"row 3, column A: 'maybe' is not a mark"),
        ("B4", "999", r"row 4: post 999 is not in the sample"),
        (
            "B3",
            "771262126617526912",
            r"row 3: post 771262126617526912 is coded twice \(also row 2\)",
        ),
        ("B2", "7.71262E+17", r"row 2: post id 7.71262E\+17 was turned into a number"),
    ],
)
def test_bad_workbooks_name_the_file_and_row(exported, sample, cell, value, message):
    _edit(exported, cell, value)
    with pytest.raises(CodingFileError, match=message) as err:
        workbook.read(exported, CB, set(sample["post_id"]))
    assert str(exported) in str(err.value)


def test_empty_and_unreadable_coding_files_are_clear_errors(tmp_path, sample):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(CodingFileError, match="empty.csv: the coding sheet is empty"):
        workbook.read(empty, CB)
    blank = workbook.export(sample, CB, tmp_path / "blank.xlsx")
    with pytest.raises(CodingFileError, match="no post is marked as read or coded"):
        workbook.read(blank, CB)
    missing = tmp_path / "missing.csv"
    missing.write_text("post_id,A,B\n1,1,0\n")
    with pytest.raises(CodingFileError, match=r"row 1: missing column\(s\) C, D"):
        workbook.read(missing, CB)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(CodingFileError, match="not a readable XLSX workbook"):
        workbook.read(broken, CB)
    with pytest.raises(CodingFileError, match="not a REFI-QDA project"):
        qdpx.read(broken, CB)
    with pytest.raises(CodingFileError, match="no such file"):
        workbook.read(tmp_path / "nope.csv", CB)


def test_a_project_with_posts_outside_the_sample_is_refused(tmp_path, sample, coded):
    path = qdpx.export(sample, CB, tmp_path / "p.qdpx", coded=coded)
    with pytest.raises(CodingFileError, match="source '4' is not a post of the sample"):
        qdpx.read(path, CB, {"771262126617526912", "2", "3"})


# --- agreement -------------------------------------------------------------------


def test_kappa_of_a_hand_computed_table():
    # 50 items: both yes 20, only the first 5, only the second 10, both no 15.
    # p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.2 / 0.5 = 0.4.
    a = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert agreement.kappa(a, b) == pytest.approx(0.4)
    assert agreement.kappa([1, 1, 1], [1, 1, 1]) == 1.0


def test_alpha_of_krippendorffs_worked_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal data
    # with missing values: alpha = 0.743.
    nan = np.nan
    data = np.array(
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
            [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
        ]
    )
    assert agreement.alpha(data) == pytest.approx(0.743, abs=5e-4)


def test_the_worked_example_gives_a_reason_for_every_code():
    assert len(CB.worked) == 5
    for post in CB.worked:
        assert [c for c, _ in post.reasons] == CB.ids
        assert all(len(why) > 10 for _, why in post.reasons)
        assert set(post.codes) <= set(CB.ids)
    # The paper's own codes for these posts (its Table 4).
    table4 = {row["text"]: "".join(c for c in "ABCD" if row[c]) for row in TABLE4}
    assert {p.text: "".join(p.codes) for p in CB.worked}.items() <= table4.items()


def _random_coding(seed: int, coders: int = 3, posts: int = 150) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.random(posts) < 0.4
    marks = np.vstack([np.where(rng.random(posts) < 0.15, ~truth, truth) for _ in range(coders)])
    matrix = marks.astype(float)
    matrix[2:, rng.random(posts) < 0.4] = np.nan  # the third coder skipped some posts
    return matrix


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_bootstraps_closed_forms_equal_the_packages(seed):
    """The interval's fast kappa and alpha give the packages' values on the full sample."""
    m = _random_coding(seed)
    coded = ~np.isnan(m)
    ones, zeros = (np.nan_to_num(m) * coded).sum(0), ((1 - np.nan_to_num(m)) * coded).sum(0)
    assert agreement._alpha_sums(ones, zeros) == pytest.approx(agreement.alpha(m))
    both = (coded[0] & coded[2]).astype(float)
    assert agreement._kappa_sums(np.nan_to_num(m[0]), np.nan_to_num(m[2]), both) == (
        pytest.approx(agreement.kappa(m[0][both == 1] == 1, m[2][both == 1] == 1))
    )


def test_agreement_intervals_are_seeded_and_hold_the_estimate():
    m = _random_coding(4, coders=2)
    a, b = agreement.intervals(m, seed=9), agreement.intervals(m, seed=9)
    assert a == b
    assert a != agreement.intervals(m, seed=10)
    assert a["alpha_low"] < agreement.alpha(m) < a["alpha_high"]
    k = agreement.kappa(m[0] == 1, m[1] == 1)
    assert a["kappa_low"] < k < a["kappa_high"]
    same = np.ones((2, 20))
    assert agreement.intervals(same, seed=1) == {
        "kappa_low": 1.0,
        "kappa_high": 1.0,
        "alpha_low": 1.0,
        "alpha_high": 1.0,
    }


def test_two_coders_alpha_is_close_to_kappa_and_the_table_uses_shared_posts(coded):
    table = agreement.table(coded, CB.ids)
    assert table["posts"].tolist() == [1, 1, 1, 1]  # only one post coded by both
    assert table.set_index("code").loc["A", "agreement"] == 0.0
    assert table.set_index("code").loc["B", "agreement"] == 1.0
    assert agreement.reading(0.5) == "moderate" and agreement.reading(0.85) == "almost perfect"


# --- saturation, prevalence, overlaps, examples ----------------------------------------


def test_saturation_is_the_last_batch_with_new_codes_before_a_quiet_window():
    codes = ["A", "B"]
    new = ["x", "", "y", "", "", "", "", ""]
    coded = pd.DataFrame(
        {"A": [True] * 8, "B": [False, True] + [False] * 6, "new_codes": new, "memo": ""}
    )
    curve = saturation.curve(coded, codes, batch=2, window=2)
    assert curve["new_codes"].tolist() == [3, 1, 0, 0]
    assert curve["distinct_codes"].tolist() == [3, 4, 4, 4]
    assert saturation.point(curve) == 4
    assert saturation.point(saturation.curve(coded, codes, batch=2, window=3)) is None


def test_prevalence_has_wilson_intervals_and_overlaps_count_exact_combinations(coded):
    prev = themes.prevalence(pd.DataFrame({"A": [True] * 50 + [False] * 50}), ["A"])
    assert prev.loc[0, "share"] == 0.5
    assert prev.loc[0, "ci_low"] == pytest.approx(0.4038, abs=1e-4)
    assert prev.loc[0, "ci_high"] == pytest.approx(0.5962, abs=1e-4)
    ov = themes.overlaps(coded, CB.ids).set_index("combination")
    assert (
        ov.loc["BD", "posts"] == 1 and ov.loc["ABD", "posts"] == 1 and ov.loc["none", "posts"] == 1
    )
    assert ov["posts"].sum() == len(coded)


def test_examples_quote_only_allowlisted_undeleted_posts():
    coded = pd.DataFrame(
        {"post_id": ["p1", "p2", "p3"], "A": [True, True, True], "new_codes": "", "memo": ""}
    )
    posts = pd.DataFrame(
        {
            "post_id": ["p1", "p2", "p3"],
            "author_id": ["o", "i", "o"],
            "text": ["Org", "Person", "Gone"],
        }
    )
    names = pd.Series({"o": "OrgOne", "i": "someone"})
    rules = policy.Privacy(
        allowlist=frozenset({"orgone"}),
        deletions=policy.Deletions(frozenset({"p3"})),
        salt="a-test-salt-of-16+",
    )
    ex = themes.examples(coded, posts, ["A"], rules.text, names, per_code=5)
    assert ex["text"].tolist() == ["Org"] and ex["account"].tolist() == ["@OrgOne"]


def test_joint_display_shares_by_category(coded):
    cats = pd.Series({"771262126617526912": "supporter", "2": "other", "3": "other", "4": "other"})
    table = themes.by_category(
        coded[coded["coder"] == "alex"], CB.ids, cats, ["supporter", "other"]
    )
    assert table["posts"].tolist() == [1, 2]
    assert table.set_index("category").loc["other", "A"] == 0.5


# --- simulated and assistive coders -------------------------------------------------------


def test_simulated_coders_are_seeded_and_disagree_at_their_rates():
    rng = np.random.default_rng(0)
    n = 4000
    order = pd.DataFrame(
        {
            "post_id": [str(i) for i in range(n)],
            "text": ["Read our new paper today"] * n,
            "phase": ["random"] * n,
        }
    )
    latent = pd.Series(
        ["".join(c for c in "ABCD" if rng.random() < 0.4) for _ in range(n)], index=order["post_id"]
    )
    coded = simulated.simulate(order, latent, CB, seed=5, read=n, double=n)
    again = simulated.simulate(order, latent, CB, seed=5, read=n, double=n)
    pd.testing.assert_frame_equal(coded, again)
    first = coded[coded["coder"] == "coder-1"].set_index("post_id")
    truth = pd.DataFrame({c: latent.str.contains(c) for c in CB.ids})
    missed = (truth & ~first[CB.ids]).to_numpy().sum() / truth.to_numpy().sum()
    added = (~truth & first[CB.ids]).to_numpy().sum() / (~truth).to_numpy().sum()
    assert missed == pytest.approx(0.05, abs=0.01) and added == pytest.approx(0.03, abs=0.01)
    assert first["new_codes"].str.contains("research findings").mean() == pytest.approx(
        0.85, abs=0.03
    )


def test_simulated_coders_read_on_until_saturation():
    # Each post brings a new descriptive code until post 130: saturation needs 3 quiet
    # batches of 20 after it, so the coder reads past the 50-post floor to 200.
    texts = [f"post {i}" for i in range(300)]
    order = pd.DataFrame(
        {"post_id": [str(i) for i in range(300)], "text": texts, "phase": "random"}
    )
    book = codebook.Codebook(CB.codes, tuple((f"code {i}", (str(i),)) for i in range(130)))
    latent = pd.Series("A", index=order["post_id"])
    sim = simulated.Coder("sim", miss=0.0, extra=0.0, notice=1.0)
    coded = simulated.code(order, latent, book, sim, seed=1)
    assert coded["new_codes"].iloc[129] == "code 129" and coded["new_codes"].iloc[130] == ""
    first = simulated.simulate(order, latent, book, seed=1, read=50, double=0, batch=20, window=3)
    assert (first["coder"] == "coder-1").sum() == 200


def test_the_assistive_coder_learns_a_separable_code_and_keyword_rules_are_transparent():
    texts = pd.Series(
        [f"register now for event {i}" for i in range(30)]
        + [f"new findings {i}" for i in range(30)]
    )
    labels = pd.DataFrame({c: [c == "D"] * 30 + [c == "A"] * 30 for c in CB.ids})
    predicted = assist.cross_validate(texts, labels, CB.ids, seed=1)
    scores = assist.scores(predicted, labels, CB.ids).set_index("code")
    assert scores.loc["D", "kappa"] == 1.0 and scores.loc["A", "f1"] == 1.0
    rules = assist.keyword_rules(pd.Series(["Please REGISTER today", "nothing"]), CB)
    assert rules.loc[0, "D"] and rules.loc[0, "B"] and not rules.loc[1].any()
    suggested = assist.fit_predict(texts, labels, pd.Series(["register now"]), CB.ids)
    assert suggested.loc[0, "D"] and not suggested.loc[0, "A"]


def test_the_themes_result_lists_added_codes_and_posts_without_a_theme():
    from datasaveslives.analysis import themes as analysis

    order = pd.DataFrame(
        {
            "post_id": ["1", "2", "3", "4"],
            "order": [1, 2, 3, 4],
            "phase": ["frame", "random", "random", "random"],
        }
    )
    coded = pd.DataFrame(
        {
            "coder": ["ann"] * 4,
            "post_id": ["1", "2", "3", "4"],
            "A": [1, 1, 0, 0],
            "B": [0, 0, 0, 1],
            "new_codes": ["job advert", "job advert; thanks", None, ""],
            "memo": [None] * 4,
        }
    )
    result = analysis.compute(coded, order, ["A", "B"], batch=2, window=1)
    assert result.without_theme == 1  # post 3: random part, no code
    assert list(result.added_codes.itertuples(index=False, name=None)) == [
        ("job advert", 2),
        ("thanks", 1),
    ]


def test_each_example_post_is_quoted_once_and_scarce_codes_choose_first():
    from datasaveslives.analysis import themes as analysis

    coded = pd.DataFrame({"post_id": ["1", "2", "3"], "A": [1, 1, 1], "B": [1, 0, 0]})
    posts = pd.DataFrame(
        {"post_id": ["1", "2", "3"], "author_id": ["u", "u", "u"], "text": ["x", "y", "z"]}
    )
    names = pd.Series({"u": "Org"})
    ex = analysis.examples(coded, posts, ["A", "B"], lambda *a: a[3], names, per_code=2)
    assert ex["post_id"].is_unique
    # B has only post 1, so it takes it; A takes two others.
    assert list(ex["code"]) == ["A", "A", "B"]
    assert set(ex.loc[ex["code"] == "A", "post_id"]) == {"2", "3"}
    assert list(ex.loc[ex["code"] == "B", "post_id"]) == ["1"]


def _two_coders(n: int, first: bool, second: bool) -> pd.DataFrame:
    ids = [f"p{i}" for i in range(n)]
    blank = {"new_codes": None, "memo": None}
    return pd.DataFrame(
        [{"coder": "c1", "post_id": p, "A": first, **blank} for p in ids]
        + [{"coder": "c2", "post_id": p, "A": second, **blank} for p in ids]
    )


def test_theme_share_intervals_carry_the_coders_disagreement():
    ids = [f"p{i}" for i in range(200)]
    # Coders who never agree on A: resampling coders puts the share anywhere near a half.
    split = themes.with_coders(_two_coders(200, True, False), ids, ["A"], seed=3)
    low, high = split.loc[0, ["low_coders", "high_coders"]]
    assert 0.4 < low < 0.5 < high < 0.6
    # Coders who always agree: no coder variance, and no post variance either here.
    same = themes.with_coders(_two_coders(200, True, True), ids, ["A"], seed=3)
    assert tuple(same.loc[0, ["low_coders", "high_coders"]]) == (1.0, 1.0)
    # Seeded: the same seed, the same interval.
    again = themes.with_coders(_two_coders(200, True, False), ids, ["A"], seed=3)
    assert split.equals(again)
    empty = themes.with_coders(_two_coders(3, True, False), [], ["A"], seed=3)
    assert empty["low_coders"].isna().all()


def test_prevalence_gains_a_coders_interval_only_where_posts_were_coded_twice():
    coded = _two_coders(40, True, False)
    order = pd.DataFrame(
        {"post_id": [f"p{i}" for i in range(40)], "order": range(1, 41), "phase": ["random"] * 40}
    )
    twice = themes.compute(coded, order, ["A"], batch=10, window=1, seed=1)
    assert "low_coders" in twice.prevalence.columns
    once = themes.compute(coded[coded["coder"] == "c1"], order, ["A"], batch=10, window=1, seed=1)
    assert "low_coders" not in once.prevalence.columns
