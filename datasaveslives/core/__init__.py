"""The foundation every stage stands on: the project's paths, its parameters and study
file, the study window and hashtag rule, the tokenizer, and worker processes.

Nothing here imports from another stage.
"""
