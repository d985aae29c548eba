"""Collecting a new window of posts from the platforms that still allow it: Bluesky
(:mod:`.bluesky`, the AT Protocol SDK) and Mastodon (:mod:`.mastodon`, Mastodon.py).
Both save the raw responses page by page with a manifest (:mod:`.archive`), resume
after an interruption, wait out rate limits (:mod:`.pacing`), and write a folder that
``ingest`` and ``build`` read with no options."""
