"""The qualitative coding: the codebook, the sample to code and its order, coding workbooks
and REFI-QDA projects, agreement between coders, saturation, and the assistive and
simulated coders.
"""
