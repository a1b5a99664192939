"""``python -m glossary`` runs the ``torchgloss`` command."""

from glossary.cli import main

main()
