"""A synthetic #datasaveslives campaign, calibrated to the paper's published figures.

The original tweets cannot be redistributed, so the compendium ships a model of
the campaign: accounts, who retweets whom, when, and what the posts say, built
top-down so that the normal pipeline, run on it over the paper's window,
reproduces the published figures (see ``data/synthetic/README.md``). It is a
model, not a copy: every generated text is marked as generated, every account
not named in the paper is an invented pseudonym, and the corpus says it is
synthetic wherever it appears.
"""

GENERATOR_VERSION = "1.2.0"
