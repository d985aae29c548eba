"""The chapters' case-dependent sentences: one named rule per claim, with its wording
for zero, one, none and undefined (the fixed prose is MyST in ``book/``)."""
