"""Stage 1, ingestion: raw archives in, canonical tables and an accounting report out.

The readers (one per platform and format), ingestion with its accounting, parallel and
partitioned ingestion, the ingestion cache, the tables' schema and the loading of an
ingested run's tables.
"""
