"""This run's network groups matched to the paper's by the accounts the paper placed."""

from __future__ import annotations

from datasaveslives.analysis import network
from datasaveslives.paper import comparison, matching
from datasaveslives.report import display
from datasaveslives.report.prose import network as net_says
from datasaveslives.report.prose import themes as th_says


def _part(*groups: set[str]) -> network.Partition:
    return network.Partition(groups=[frozenset(g) for g in groups], modularity=0.5, engine="x")


def test_the_paper_placed_accounts_from_tables_1_and_3():
    placed = matching.placed_accounts(comparison.paper())
    assert placed["herc_farr"] == 1 and placed["wellcometrust"] == 3
    assert placed["interopenapi"] == 4 and placed["nhsengland"] == 10
    assert None not in placed and "" not in placed  # deleted posts' authors are not placed


def test_groups_are_matched_by_the_most_shared_accounts_in_all():
    names = {f"u{i}": n for i, n in enumerate(["a", "b", "c", "d", "e", "f"])}
    placed = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2, "f": 3}
    # Here: group 1 holds c, d, e (the paper's 2) and a; group 2 holds b; group 3 holds f.
    part = _part({"u2", "u3", "u4", "u0"}, {"u1", "x"}, {"u5"})
    m = matching.paper_groups(part, names, placed)
    assert m["group"].tolist() == [1, 2, 3]
    # Greedy by group 1 would take the paper's 2 (3 accounts) and leave 1 to group 2: the
    # assignment maximises the total, which here is the same pairing.
    assert matching.numbers(m) == {1: 2, 2: 1, 3: 3}
    assert m.loc[0, "accounts"] == ["c", "d", "e"]


def test_a_group_sharing_no_account_is_not_matched():
    m = matching.paper_groups(_part({"u0"}, {"u1"}), {"u0": "a", "u1": "zz"}, {"a": 4})
    assert matching.numbers(m) == {1: 4}
    empty = matching.paper_groups(_part({"u0"}), {"u0": "nobody"}, {"a": 1})
    assert empty.empty and list(empty.columns) == matching.MAPPING_COLUMNS


def test_one_to_one_when_two_groups_want_the_same_paper_group():
    names = {"u0": "a", "u1": "b", "u2": "c"}
    placed = {"a": 1, "b": 1, "c": 2}
    m = matching.paper_groups(_part({"u0"}, {"u1", "u2"}), names, placed)
    # Group 2 shares one account with each paper group; the total is highest with
    # 1 -> 1 and 2 -> 2.
    assert matching.numbers(m) == {1: 1, 2: 2}


def test_group_labels_and_named_accounts():
    assert display.group_label(3, {3: 4}) == "3 (paper's 4)"
    assert display.group_label(5, {3: 4}) == "5"
    assert (
        display.named_accounts(["A", "b"], lambda n: n == "A") == "@A and 1 account not named here"
    )
    assert display.named_accounts(["b"], lambda n: False) == "1 account not named here"
    assert display.named_accounts([], lambda n: True) == ""
    assert [display.listed(x) for x in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == [
        "",
        "a",
        "a and b",
        "a, b and c",
    ]


def test_the_mapping_and_the_joint_display_have_words_for_every_case():
    assert "declares no published study" in net_says.group_mapping(False, [], 0)
    assert "paper" not in net_says.mapping_method(False)
    assert "Hungarian assignment" in net_says.mapping_method(True)
    assert "No group of this run holds" in net_says.group_mapping(True, [], 10)
    same = net_says.group_mapping(True, [(1, 1), (2, 2)], 10)
    assert "2 of the paper's 10 groups" in same and "the same number" in same
    differ = net_says.group_mapping(True, [(1, 1), (3, 4), (4, 3)], 3)
    assert "all 3 of the paper's groups" in differ
    assert "2 groups carry another number here (this run's 3 is the paper's 4, this run's 4" in (
        differ
    )
    assert "“3 (paper's 4)”" in differ
    assert "No" not in th_says.joint_intro(False, {}) and "The paper" not in th_says.joint_intro(
        False, {}
    )
    mapped = th_says.joint_intro(True, {1: 1, 2: 2, 3: 4})
    assert "its groups 1, 2 and 3 are this run's groups 1, 2 and 4" in mapped
    assert "of the same numbers" in th_says.joint_intro(True, {1: 1, 2: 2, 3: 3})
    assert "not all of its groups 1, 2 and 3 are matched" in th_says.joint_intro(True, {1: 1})


def test_group_numbers_are_the_papers_only_for_a_run_that_compares_with_it():
    part = _part({"u0", "u1"}, {"u2"})
    names = {"u0": "wellcometrust", "u1": "nobody", "u2": "HeRC_Farr"}
    assert matching.paper_numbers(part, names, None) == {}
    assert matching.paper_numbers(part, names, "paper") == {1: 3, 2: 1}
