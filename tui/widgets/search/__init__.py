"""Widgets of the search screen: the query box, the filter bar and the results list."""
