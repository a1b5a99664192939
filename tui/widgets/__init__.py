"""Widgets, grouped by the part of the screen they belong to: ``search`` and ``entry``."""
