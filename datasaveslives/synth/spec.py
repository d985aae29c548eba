"""The campaign model's assumptions: groups, named accounts, activity, events, vocabulary.

Published figures are read from ``data/paper/published_figures.yml`` (the
calibration targets); everything else here is a modelling choice, stated so
that it can be read and changed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from datasaveslives.paper import comparison, registry


@cache
def targets() -> dict[str, Any]:
    """The paper's published figures the corpus is calibrated to: the paper's record
    with every held-out number (``registry.held_out_keys``) blanked to None, so that
    the generator and the seed search cannot read them (their keys, such as the names
    of Table 3's accounts, stay)."""
    record = copy.deepcopy(comparison.paper())
    for key in registry.held_out_keys():
        *parents, last = key.split(".")
        node: Any = record
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = None
        else:
            node[last] = None
    return record


WINDOW_START = date(2016, 9, 1)
WINDOW_END = date(2017, 8, 31)
# Outside the paper's window the corpus continues at plausible activity
# (marked as extrapolated), so that other windows can be studied.
CORPUS_START = date(2016, 1, 1)
CORPUS_END = date(2017, 12, 31)


@dataclass(frozen=True)
class Account:
    """A named (organisational) account: its group, activity and profile."""

    name: str
    group: int
    display: str
    bio: str
    followers: int
    # Posts in the window by type (original text, quote, retweet); None: drawn.
    posts: tuple[int, int, int] | None = None
    # Weight as a retweet target inside its group (hubs are retweeted most).
    hub_weight: float = 0.0
    kind: str = "organisation"


# The six official supporters (paper, Methods), with the split of their 1,573
# posts (421 / 243 / 909 by type, Table 2) across accounts: a modelling choice;
# five of them post 100+ times and HeRC_Farr posts the maximum (455).
SUPPORTERS: tuple[Account, ...] = (
    Account(
        "HeRC_Farr",
        1,
        "Health eResearch Centre",
        "An academic, NHS & Industry Partnership: Harnessing health data for patient "
        "and public benefit. #datasaveslives",
        9_800,
        (120, 75, 260),
        8.0,
    ),
    Account(
        "CHCNorth",
        1,
        "Connected Health Cities",
        "Connected Health Cities: using health data and digital innovation to improve "
        "care across the North of England",
        4_600,
        (95, 50, 205),
        10.0,
    ),
    Account(
        "FarrInstitute",
        2,
        "The Farr Institute",
        "UK health informatics research institute: using health data for research "
        "that benefits patients and the public",
        11_200,
        (90, 55, 185),
        10.0,
    ),
    Account(
        "FarrScotland",
        2,
        "Farr Institute Scotland",
        "Farr Institute Scotland: public health research using data in Scotland",
        3_900,
        (65, 35, 150),
        7.0,
    ),
    Account(
        "FarrCIPHER",
        2,
        "Farr Institute CIPHER",
        "Farr Institute CIPHER at Swansea University: health data research in Wales",
        2_300,
        (36, 20, 84),
        3.0,
    ),
    Account(
        "FarrLondon",
        2,
        "Farr Institute London",
        "Farr Institute London: health informatics research across London universities",
        2_100,
        (15, 8, 25),
        1.0,
    ),
)

# Other accounts the paper names (Tables 1, 3 and 4, Results), organisational
# except where ``kind`` says otherwise. Groups are Table 3's; hub weights make
# Table 3's "most influential" accounts the most central of their group.
NAMED: tuple[Account, ...] = (
    Account(
        "The_NHSA",
        1,
        "Northern Health Science Alliance",
        "Northern Health Science Alliance: health research and innovation across the North",
        6_500,
        (60, 20, 70),
        4.0,
    ),
    Account(
        "SMHRN1",
        2,
        "Scottish Mental Health Research Network",
        "Scottish MH Research Network-supporting excellence in mental health studies as "
        "part of NHS Research Scotland",
        3_100,
        (12, 3, 8),
        2.4,
    ),
    Account(
        "Patient_Data",
        3,
        "Understanding Patient Data",
        "Understanding Patient Data: making uses of health data more visible, understandable "
        "and trustworthy",
        8_900,
        (120, 60, 80),
        5.0,
    ),
    Account(
        "AMRC",
        3,
        "Association of Medical Research Charities",
        "Association of Medical Research Charities: the national voice of medical research "
        "charities",
        21_000,
        (70, 25, 30),
        4.0,
    ),
    Account(
        "wellcometrust",
        3,
        "Wellcome",
        "We're a charitable foundation that exists to improve health for everyone. We support "
        "thousands of scientists & researchers, spark debate & take on big problems",
        152_000,
        (6, 1, 2),
        3.5,
    ),
    Account(
        "NMRPerrin",
        3,
        "NMRPerrin",
        "Leading new Understanding Patient Data initiative. Interested in all things data, "
        "with a bit of science policy on the side",
        3_400,
        (14, 6, 20),
        2.8,
        kind="individual named in the paper",
    ),
    Account(
        "InteropSummit",
        4,
        "Interop Summit",
        "Interoperability summit for health and care: open standards, interoperable records",
        5_200,
        (120, 40, 80),
        5.0,
    ),
    Account(
        "INTEROPenAPI",
        4,
        "INTEROPen",
        "Leading organizations supporting patients clinicians & new care models. Accelerating "
        "the delivery of #Interoperability #OpenStandards in health & social care",
        3_300,
        (60, 20, 40),
        5.0,
    ),
    Account(
        "oht_uk",
        4,
        "Open Health Tech UK",
        "Open health technology community in the UK: open source for health and care",
        2_800,
        (8, 3, 10),
        2.0,
    ),
    Account(
        "cancerchallscot",
        5,
        "Cancer Challenge Scotland",
        "Cancer Challenge Scotland: using data and innovation to tackle cancer in Scotland",
        2_700,
        (80, 30, 70),
        5.0,
    ),
    Account(
        "IHDPscot",
        5,
        "Innovative Healthcare Delivery Programme",
        "Innovative Healthcare Delivery Programme: making better use of health data in Scotland",
        1_900,
        (50, 20, 70),
        4.0,
    ),
    Account(
        "ProductForge",
        5,
        "Product Forge",
        "Product Forge: hackathons that build products for health, care and cities in Scotland",
        2_500,
        (10, 4, 12),
        3.5,
    ),
    Account(
        "GreatNorthCare",
        6,
        "Great North Care Record",
        "Great North Care Record: sharing care records across the North East and Cumbria",
        2_200,
        (60, 20, 50),
        6.0,
    ),
    Account(
        "AHSN_NENC",
        6,
        "AHSN North East and North Cumbria",
        "Academic Health Science Network for the North East and North Cumbria: NHS innovation",
        4_800,
        (6, 2, 8),
        2.5,
    ),
    Account(
        "NHSDigital",
        7,
        "NHS Digital",
        "Information and technology for better health and care",
        68_000,
        (14, 3, 6),
        8.5,
    ),
    Account(
        "DeptHealthPress",
        7,
        "Department of Health press office",
        "Press office of the Department of Health",
        41_000,
        (4, 0, 2),
        3.0,
    ),
    Account(
        "Soc_Endo",
        7,
        "Society for Endocrinology",
        "Society for Endocrinology: advancing hormone science and clinical care",
        9_000,
        (5, 2, 4),
        2.5,
    ),
    Account(
        "useMYdata",
        8,
        "use MY data",
        "use MY data: patients, carers and relatives supporting the use of health data "
        "for patient benefit",
        2_600,
        (25, 15, 40),
        5.0,
    ),
    Account(
        "DNADigest",
        8,
        "DNAdigest",
        "DNAdigest: promoting responsible data sharing in genomics research",
        2_900,
        (6, 2, 6),
        2.2,
    ),
    Account(
        "abcdiagnosis",
        8,
        "abcdiagnosis",
        "Breast cancer information and support: research and patient advocacy",
        4_100,
        (6, 2, 10),
        1.6,
    ),
    Account(
        "UoLCardioEpi",
        9,
        "Leeds Cardiovascular Epidemiology",
        "Cardiovascular epidemiology research at the University of Leeds",
        1_200,
        (20, 5, 15),
        5.0,
    ),
    Account(
        "LabKey",
        9,
        "LabKey",
        "LabKey: data management software for research",
        1_800,
        (4, 1, 3),
        2.0,
    ),
    Account(
        "HealthSciYork",
        9,
        "Health Sciences, University of York",
        "Department of Health Sciences, University of York: research in health and care",
        3_600,
        (3, 1, 4),
        1.5,
    ),
    Account(
        "LIDA_UK",
        9,
        "Leeds Institute for Data Analytics",
        "Leeds Institute for Data Analytics: data science research for health and society",
        2_400,
        (15, 5, 10),
        0.8,
    ),
    Account(
        "NHSEngland",
        10,
        "NHS England",
        "Health and high quality care for all, now and for future generations",
        235_000,
        (5, 1, 2),
        7.5,
    ),
    Account(
        "MedineGov",
        10,
        "MedineGov",
        "Medicine and government: health policy and regulation news",
        1_700,
        (4, 1, 8),
        3.0,
    ),
    Account(
        "CURE_SCHARR",
        10,
        "CURE at ScHARR",
        "Health economics and decision science research at the University of Sheffield",
        1_300,
        (3, 1, 6),
        1.5,
    ),
    Account(
        "EmpowerD4H",
        13,
        "Empower: Data4Health",
        "Empowering people through data for health",
        1_100,
        (10, 3, 8),
        3.0,
    ),
)

# Authors of Table 1's two deleted tweets (ranks 3 and 10): pseudonymous
# individuals, retweeted widely enough to reach those counts. (group, posts, hub weight)
DELETED_AUTHORS: tuple[tuple[int, tuple[int, int, int], float], ...] = (
    (1, (9, 3, 6), 2.5),
    (2, (6, 2, 5), 2.0),
)

# Accounts with 100+ posts besides the supporters (13 of the 16 are
# organisations; one frequent tweeter is a patient advocate with 102 posts).
HEAVY_INDIVIDUALS: tuple[tuple[str, int, tuple[int, int, int], str], ...] = (
    # (role, group, posts by type, bio theme)
    ("patient advocate", 8, (20, 22, 60), "advocate"),
    ("researcher", 1, (30, 30, 110), "researcher"),
    ("researcher", 2, (15, 20, 75), "researcher"),
)


@dataclass(frozen=True)
class Event:
    """An event that drives posts with its hashtag in the weeks around it."""

    tag: str
    day: date
    groups: tuple[int, ...]
    label: str
    before: int = 2  # weeks of promotion before
    after: int = 1  # weeks of follow-up after


# When Table 1's tweets were posted (not published: model choices; the two
# that react to the government's response to the National Data Guardian
# review sit in its week). Rank -> (day, hour).
TOP_TWEET_TIMES: dict[int, tuple[date, int]] = {
    1: (date(2017, 7, 12), 11),
    2: (date(2017, 7, 12), 16),
    3: (date(2017, 7, 7), 10),
    4: (date(2017, 6, 7), 9),
    5: (date(2017, 3, 16), 13),
    6: (date(2017, 2, 8), 10),
    7: (date(2016, 11, 23), 12),
    8: (date(2017, 5, 4), 9),
    9: (date(2017, 3, 2), 15),
    10: (date(2016, 10, 19), 14),
}

# Event calendar of the model. The paper dates two: Informatics for Health 2017
# (Manchester, week 34 from 2017-04-20) and the government's response to the
# National Data Guardian review with public-engagement festivals (week of
# 2017-07-06). The other dates are assumptions of the model.
EVENTS: tuple[Event, ...] = (
    Event(
        "#iforh2017", date(2017, 4, 24), (1, 2, 3), "Informatics for Health 2017, Manchester", 4, 1
    ),
    Event("#interopsummit", date(2017, 3, 9), (4, 6), "Interoperability summit (model date)", 3, 1),
    Event(
        "#cancerdatadive", date(2016, 11, 17), (5,), "Cancer data dive hackathon (model date)", 3, 1
    ),
    Event(
        "#ndgreview",
        date(2017, 7, 12),
        (1, 2, 3, 7, 10),
        "Government response to the National Data Guardian review",
        0,
        1,
    ),
    Event("#bluedot", date(2017, 7, 7), (1,), "Bluedot festival public engagement", 0, 0),
    Event(
        "#edfringe", date(2017, 7, 10), (2,), "Edinburgh Festival Fringe public engagement", 0, 1
    ),
    Event("#worldhealthday", date(2017, 4, 7), (2, 3), "World Health Day", 0, 0),
)

# Links between groups that the paper reads off Figure 2, with the strength of
# each (share of a group's outward retweets that go to the other).
GROUP_LINKS: dict[tuple[int, int], float] = {
    (1, 2): 1.0,
    (1, 5): 0.8,
    (2, 6): 1.0,
    (4, 6): 0.3,
    (1, 3): 0.7,
    (2, 3): 0.7,
    (3, 8): 0.7,
    (3, 7): 0.3,
    (3, 10): 0.3,
    (2, 9): 0.2,
    (1, 9): 0.2,
}


# Vocabulary per group, from Table 3's top words (weights are the paper's
# counts); group 11+ (the paper does not describe them) share a general one.
@dataclass(frozen=True)
class Vocabulary:
    bio: dict[str, int]
    tweet: dict[str, int]


def group_vocabulary(group: int) -> Vocabulary:
    """Bio and tweet words of ``group`` (Table 3 for groups 1-10)."""
    rows = {row["group"]: row for row in targets()["network"]["table3"]}
    if group in rows:
        row = rows[group]
        bio = {str(k): int(v) for k, v in row["bio_words"].items()}
        tweet = {str(k): int(v) for k, v in row["tweet_words"].items()}
        return Vocabulary(bio, tweet)
    return Vocabulary(
        {"health": 20, "research": 15, "data": 12, "care": 8, "science": 6},
        {"data": 20, "health": 18, "research": 10, "care": 6, "patients": 5},
    )
