"""Table 3's words are given to the synthetic corpus by allocation, not by chance: the
counts come out as the paper's, and nothing else the grammar says outranks them."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import numpy as np
import pandas as pd

from datasaveslives.analysis import network
from datasaveslives.core import tokens
from datasaveslives.paper import registry
from datasaveslives.synth import phrases, vocabulary


def _group_words() -> set[str]:
    words: set[str] = set()
    for paper in vocabulary.table3().values():
        words |= set(paper.bio) | set(paper.post)
    return words


def test_allocate_gives_each_word_to_exactly_as_many_counted_items_as_asked():
    rng = np.random.default_rng(1)
    counted, uncounted = list(range(100)), list(range(100, 150))
    out = vocabulary.allocate(rng, {"data": 30, "health": 12}, counted, uncounted, Counter())
    said = Counter(w for i in counted for w in out[i])
    assert said == {"data": 30, "health": 12}
    # The uncounted items say the words at the same rate (30% and 12% of 50).
    other = Counter(w for i in uncounted for w in out[i])
    assert other == {"data": 15, "health": 6}
    assert all(len(set(out[i])) == len(out[i]) for i in out)  # a word once an item


def test_allocate_subtracts_what_fixed_texts_say_and_keeps_a_word_where_allowed():
    rng = np.random.default_rng(2)
    counted = list(range(20))
    out = vocabulary.allocate(
        rng,
        {"#iforh2017": 5, "data": 4},
        counted,
        [],
        Counter({"data": 3}),
        first={"#iforh2017": [7, 8]},
        allowed={"#iforh2017": [5, 6, 7, 8, 9, 10]},
    )
    tagged = [i for i in counted if "#iforh2017" in out[i]]
    assert len(tagged) == 5 and set(tagged) <= {5, 6, 7, 8, 9, 10} and {7, 8} <= set(tagged)
    assert sum("data" in out[i] for i in counted) == 1  # 4 asked, 3 said already
    # Fewer allowed items than asked: all of them, no more.
    few = vocabulary.allocate(rng, {"x": 9}, counted, [], Counter(), allowed={"x": [1, 2]})
    assert sorted(i for i in counted if "x" in few[i]) == [1, 2]


def test_a_bio_says_its_words_once_and_nothing_else_a_group_counts():
    rng = np.random.default_rng(3)
    groups = _group_words()
    for _ in range(200):
        text = vocabulary.bio(rng, ["health", "manchester"], advocate=False, with_hashtag=False)
        said = tokens.tokens(text)
        assert said.count("health") == 1 and said.count("manchester") == 1
        assert not set(said) - {"health", "manchester"} & groups
    assert "#datasaveslives" in vocabulary.bio(rng, [], False, True)
    assert "advocate" in tokens.tokens(vocabulary.bio(rng, [], True, False))


def test_the_grammar_says_no_group_word_but_the_ones_it_was_given():
    """Leads, tails, fallback topics, events and mentions carry no Table 3 post word,
    and each phrase says its own word once and no other group's: so a word's count is
    the allocation's."""
    groups = {w for p in vocabulary.table3().values() for w in p.post}
    slots = {"{np}": "", "{event}": "", "{m}": ""}

    def bare(sentence: str) -> list[str]:
        for slot, empty in slots.items():
            sentence = sentence.replace(slot, empty)
        return tokens.tokens(sentence)

    fixed = [
        *(s for t in "ABCD" for s in phrases.LEADS[t] + phrases.TAILS[t]),
        *phrases.FALLBACK_TOPIC,
        *phrases.GENERIC_EVENTS,
        *phrases.MENTIONS,
    ]
    assert not [s for s in fixed if set(bare(s)) & groups]
    for word, said in phrases.PHRASES.items():
        for phrase in said:
            words = tokens.tokens(phrase)
            assert set(words) & groups <= {word}, phrase
            assert word not in groups or words.count(word) == 1, phrase
    for word, said in phrases.ASIDES.items():
        assert all(set(tokens.tokens(a)) & groups <= {word} for a in said)


def test_filler_words_are_in_no_group_list():
    groups = _group_words()
    filler = {w for s in (*vocabulary.ROLES, *vocabulary.INTERESTS) for w in tokens.tokens(s)}
    assert not filler & groups
    # Each filler word is rare enough not to outrank a group's fifth word: no role or
    # interest word is shared by several of them.
    shared = Counter(
        w for s in (*vocabulary.ROLES, *vocabulary.INTERESTS) for w in set(tokens.tokens(s))
    )
    assert max(shared.values()) == 1


def test_table3s_word_list_reads_as_printed_without_stop_words():
    described = vocabulary.table3()
    assert set(described) == set(range(1, 11))
    assert described[1].post == {
        "data": 198,
        "health": 189,
        "great": 80,
        "#iforh2017": 70,
        "research": 53,
    }
    assert "views" not in described[3].bio  # a stop word, as the paper meant
    assert described[10].bio["health-care"] == 9  # one word to the tokenizer


def test_group_words_counts_every_occurrence_in_members_bios_and_originals():
    part = network.Partition(
        groups=[frozenset({"a", "b", "c"}), frozenset({"x", "y"})], modularity=0.3
    )
    profiles = pd.DataFrame(
        {"user_id": ["a", "b", "c", "x", "y"], "bio": ["health data", "health", None, "care", "x"]}
    )
    originals = pd.DataFrame(
        {"author_id": ["a", "a", "x"], "text": ["data data #tag", "health", "care home"]}
    )
    words = network.group_words(part, profiles, originals, exclude_words=("#tag",))
    assert words[0].bio == Counter({"health": 2, "data": 1})
    assert words[0].post == Counter({"data": 2, "health": 1})
    assert words[1].post == Counter({"care": 1, "home": 1})


def test_the_registry_compares_table3_words_in_the_matched_group_and_skips_stop_words():
    measure = registry.find("network.table3.0.bio_words.health")[0].measure
    assert measure is not None
    part = network.Partition(groups=[frozenset({"u1", "u2"})], modularity=0.1)
    result = SimpleNamespace(
        partition=part,
        names={"u1": "CHCNorth", "u2": "HeRC_Farr"},
        words=[network.GroupWords(bio=Counter({"health": 150}), post=Counter())],
        stats={"nodes": 2},
    )
    rows = dict((fields["word"], value) for fields, value in measure(result))
    assert rows["health"] == 150 and rows["manchester"] == 0
    views = registry.find("network.table3.2.bio_words.views")[0].measure
    assert views is not None
    assert tokens.counted("views") is False and tokens.counted("health-care") is True
