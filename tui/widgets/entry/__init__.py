"""Widgets of the entry view: headword, definitions, related words, snippet, run output."""
