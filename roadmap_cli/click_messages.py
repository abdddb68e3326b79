"""click's own messages that a user of roadmap meets (usage errors, --help), marked here so
that ``make i18n`` extracts them into our catalogs: click marks them with the standard
library's gettext, and :func:`roadmap_cli.i18n.activate` points click at our catalog.

When click is upgraded, check that these texts are still click's (a test compares them with
click's source).
"""

from __future__ import annotations

from roadmap_cli.i18n import N_


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with its plural for extraction."""
    return singular, plural


MESSAGES = (
    N_('Aborted!'),
    N_('Options'),
    NN_('Got unexpected extra argument ({args})', 'Got unexpected extra arguments ({args})'),
    N_('Commands'),
    N_('Missing command.'),
    N_('default: {default}'),
    N_('required'),
    NN_('Did you mean {possibility}?', '(Did you mean one of: {possibilities}?)'),
    N_('Error: {message}'),
    N_("Try '{command} {option}' for help."),
    N_('Invalid value: {message}'),
    N_('Invalid value for {param_hint}: {message}'),
    N_('Missing argument'),
    N_('Missing option'),
    N_('Missing {param_type}'),
    N_('Missing parameter: {param_name}'),
    N_('No such option {name!r}.'),
    N_('No such command {name!r}.'),
    N_('Usage:'),
    N_('%(prog)s, version %(version)s'),
    N_('Show the version and exit.'),
    N_('Show this message and exit.'),
    N_('Option {name!r} does not take a value.'),
    NN_('Option {name!r} requires an argument.', 'Option {name!r} requires {nargs} arguments.'),
    NN_('{value!r} is not {choice}.', '{value!r} is not one of {choices}.'),
    N_('{value!r} is not a valid {number_type}.'),
    N_('{value} is not in the range {range}.'),
    N_('file'),
    N_('directory'),
    N_('path'),
    N_('{name} {filename!r} does not exist.'),
    N_('{name} {filename!r} is a file.'),
    N_('{name} {filename!r} is a directory.'),
    N_('{name} {filename!r} is not readable.'),
)
