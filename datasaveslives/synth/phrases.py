"""The grammar of the synthetic posts: sentences a campaign account might write.

Written for this project (no real post is copied here; the paper's published texts
are placed separately, see ``text.PAPER_QUOTES``). A generated original is built
from:

* a **lead** sentence for its main theme (``LEADS``), whose ``{np}`` slot takes
  the author's group words, each said as a short phrase (``PHRASES``) so that
  Table 3's words stay the group's most frequent;
* a **tail** for each other theme it carries (``TAILS``), so that every theme the
  corpus assigns a post can be read in its text, which is what a coding class needs;
* the group's hashtags, the campaign hashtag, an optional mention and link.

The themes (the paper's four uses of the hashtag): A sharing information and
research, B reporting events, C supporting the campaign, D calls to action.
``{event}`` is an event's hashtag when one is near, else a generic event.
"""

from __future__ import annotations

LEADS: dict[str, tuple[str, ...]] = {
    "A": (
        "New report: what {np} can tell us.",
        "Our latest blog looks at {np}.",
        "Published today: new findings on {np}.",
        "Read the case study on {np}.",
        "Video: three minutes on {np}, from our team.",
        "Worth a read: a new study of {np}.",
        "In the news this week: {np}.",
        "Project update: first results on {np} are in.",
        "Our new paper shows what {np} can do for people.",
        "Delighted our work on {np} has been shortlisted for an award.",
        "How {np} is helping researchers answer new questions.",
        "New podcast: listen to our team on {np}.",
    ),
    "B": (
        "Live from {event}: a session on {np}.",
        "Packed room at {event} to hear about {np}.",
        "Slides from this morning's talk on {np} at {event} are online.",
        "Great questions from the floor on {np} at {event}.",
        "Next up at {event}: a panel on {np}.",
        "{event} opens with a session on {np}.",
        "Thanks to everyone who came to our session on {np} at {event}.",
        "Looking forward to talking about {np} at {event} tomorrow.",
    ),
    "C": (
        "We believe {np} saves lives.",
        "Proud to support the campaign: {np} matters to patients.",
        "Badges on and ready to talk about {np}!",
        "Why {np} matters: behind every record is a person.",
        "Every time {np} is used well, someone benefits.",
        "Used safely, {np} makes a real difference.",
        "As a patient, my experience shows why {np} is important.",
        "{np} can save lives, but only if public concerns are heard.",
    ),
    "D": (
        "Register now for our seminar on {np}.",
        "We're recruiting: a research fellow to work on {np}. Apply by Friday.",
        "Have your say: our survey on {np} closes soon.",
        "Join us next week to discuss {np}.",
        "Visit our stall to talk about {np}.",
        "Take part in our study of {np}: participants wanted.",
        "Help us spread the word about {np}, please share.",
        "Places are still available on our workshop on {np}. Book now.",
    ),
}

TAILS: dict[str, tuple[str, ...]] = {
    "A": (
        "Full report on our website.",
        "Read the blog.",
        "New findings out today.",
        "Our case study explains how.",
    ),
    "B": (
        "Live from {event}.",
        "Come and see us at {event}.",
        "More from {event} later today.",
        "Talks all day at {event}.",
    ),
    "C": (
        "Proud to support the campaign.",
        "This is why data saves lives.",
        "Behind every record is a person.",
        "Wear your badge with pride!",
    ),
    "D": (
        "Register now.",
        "Get in touch to take part.",
        "Places still available.",
        "Please share.",
    ),
}

# How each group word (Table 3's top words) is said in a post: the word itself,
# with a few plain words around it.
PHRASES: dict[str, tuple[str, ...]] = {
    "data": (
        "linked data",
        "routinely collected data",
        "anonymised data",
        "data sharing",
        "open data",
        "data linkage",
    ),
    "health": (
        "public health",
        "mental health",
        "population health",
        "health services",
        "child health",
        "health outcomes",
    ),
    "research": (
        "medical research",
        "research studies",
        "population research",
        "research with records",
    ),
    "care": ("social care", "primary care", "better care", "care homes", "intensive care"),
    "patient": ("patient safety", "patient records", "patient involvement", "patient outcomes"),
    "patients": ("patients", "patients and carers", "patients' records"),
    "information": ("information governance", "information sharing", "shared information"),
    "using": ("using linked records", "using routine records", "using registry records"),
    "case": ("the case for sharing", "a case study from Scotland", "case studies"),
    "cancer": ("cancer survival", "cancer registries", "childhood cancer", "cancer screening"),
    "breast": ("breast screening", "breast cancer", "breast clinics"),
    "cardiovascular": ("cardiovascular disease", "cardiovascular risk"),
    "clinical": ("clinical trials", "clinical audit", "clinical practice"),
    "digital": ("digital health", "digital services", "digital records"),
    "nhs": ("the NHS", "NHS services", "NHS records"),
}

# Group words said as a sentence of their own rather than as a topic.
ASIDES: dict[str, tuple[str, ...]] = {
    "great": ("Great to see this!", "Great work, everyone.", "Great turnout."),
    "views": ("Tell us your views.", "Your views welcome."),
}

# When a post's drawn words are all hashtags or asides.
FALLBACK_TOPIC = ("this work", "the evidence", "our programme")

GENERIC_EVENTS = ("our seminar", "today's workshop", "the conference", "our annual meeting")

# Hashtags as people spelled them (tokens are case-folded, so counts are unaffected).
SPELLING = {
    "#iforh2017": "#IforH2017",
    "#interopsummit": "#InteropSummit",
    "#cancerdatadive": "#CancerDataDive",
    "#ndgreview": "#NDGreview",
    "#worldhealthday": "#WorldHealthDay",
    "#edfringe": "#EdFringe",
    "#bluedot": "#Bluedot",
}

# The campaign hashtag in the spellings people used (weighted by repetition).
CAMPAIGN_TAGS = ("#datasaveslives", "#DataSavesLives", "#datasaveslives", "#Datasaveslives")

MENTIONS = ("With @{m}.", "Thanks to @{m}.", "Via @{m}", "cc @{m}")
