"""Stage 2, the four results: how often (frequency), who (users), how shared (network) and
what about (themes).
"""
