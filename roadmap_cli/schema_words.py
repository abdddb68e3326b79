"""The schemas' descriptions that problem messages quote, marked for translation.

:mod:`roadmap_cli.schema` quotes a value's description when the value fails its pattern or
format (the whole description), or fits none of the forms a key takes (its first sentence).
The schemas are English (editors show them); these are the same texts, so that pybabel extracts
them and a Russian officer reads the message in Russian. ``tests/test_schema_validity.py`` holds
this list to the schemas: a description quoted and not listed here fails it.
"""

from __future__ import annotations

from roadmap_cli.i18n import N_

QUOTED = (
    # a value against its pattern or format: the whole description
    N_("A calendar date YYYY-MM-DD (kept as a string)"),
    N_("A calendar date YYYY-MM-DD: when it happened; absent or null while it has not"),
    N_("A period as text"),
    N_("A slug: lowercase letters and digits in groups joined by single hyphens"),
    N_("A slug: lowercase letters and digits in groups joined by single hyphens, with a country "
       "prefix by convention (kz-..., by-...)"),
    N_("ISO 3166-1 alpha-2 country code, e.g. KZ, BY"),
    N_("Id of an agency defined in agencies.yaml (e.g. kz-mic, by-minprom)"),
    N_("Id of an agency defined in agencies.yaml (e.g. kz-mic, by-minprom); or TODO (TODO: and "
       "the name as signed) where `roadmap import` matched no agency, which rule todo reports "
       "until it is replaced"),
    N_("Indicator id, unique within the measure, e.g. tractors-per-year"),
    N_('Measure id, unique within the roadmap, e.g. "1.1". Always quote it in YAML: unquoted '
       "1.10 is the number 1.1"),
    N_("One-off deadline (date, month, quarter, half-year, year), ongoing (never overdue) or "
       "on_request (as needed: never overdue); TODO where `roadmap import` could not read the "
       "signed deadline (no deadline until replaced; rule todo warns)"),
    N_("The id of an event (events) or of a measure of this document"),
    N_("Time allowed after the anchor date: a whole number and d (days), w (weeks), m (calendar "
       "months) or y (years), e.g. 6m, 30d"),
    N_("Where it can be read (absolute URL)"),
    N_("Where the evidence can be read (absolute URL)"),
    # a value of none of the forms its key takes: the first sentence
    N_("A name: a non-empty string, or a map of language code (en, ru, kk, be) to text"),
    N_("A period: a date YYYY-MM-DD, a month YYYY-MM, a quarter YYYY-Q1..Q4, a half-year "
       "YYYY-H1/H2, or a year YYYY (a bare year may be written with or without quotes)"),
    N_("A title: a non-empty string, or a map of language code (en, ru, kk, be) to text"),
    N_("Optional id of the parent agency (e.g. an enterprise's ministry), or null"),
    N_("When the measure is due"),
)
