"""Stage 3, the book: the pipeline that executes the chapters and builds the book, and what
the chapters use to show results (tables, figures, wording, platforms, provenance,
publication).
"""
