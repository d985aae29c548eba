"""The paper's published figures against this run: the comparison tables, the chapters'
saved results and the reproduction report.
"""
