"""The limits and names that both the reading of files (yamlsrc, schema, rules) and the warm
path (load from the cache, the command options) need: their one home, importable without
importing the readers (a warm run imports no YAML reader, schema or rule; docs/limits.md)."""

from __future__ import annotations

#: the largest file accepted, in bytes (the largest real document is a few hundred kilobytes)
MAX_FILE_BYTES = 4 * 1024 * 1024
#: problems reported per file by the schema check and by each rule (one more line says so)
MAX_PROBLEMS = 1_000

#: the years a date may name: a roadmap signed or due outside them is a typo (and reports over
#: them would compute dates past the calendar's end, year 9999)
FIRST_YEAR = 1900
LAST_YEAR = 2199
#: occurrences all the recurring measures of one load may have together (twice those of the
#: largest benchmark, 1,000 documents of 100 measures)
MAX_LOAD_OCCURRENCES = 200_000

#: the JSON Schemas a file is checked against (in roadmap_cli/schemas/)
ROADMAP_SCHEMA = "roadmap.schema.json"
AGENCIES_SCHEMA = "agencies.schema.json"
