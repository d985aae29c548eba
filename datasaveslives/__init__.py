"""Research compendium for the #datasaveslives study (Hassan, Nenadic & Tully, JMIR 2021).

The package holds the logic; the notebooks in ``book/`` hold the narrative.
"""

__version__ = "0.4.0"
