"""Django's makemessages without fuzzy matching.

msgmerge's guesses would put a translation of one phrase on a different one (for
example "Ngā pūrei" on "Show clusters"); we translate only attested terms, so a new
string starts empty instead (docs/te-reo.md).
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
