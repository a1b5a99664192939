"""torchgloss: a Japanese/English glossary and search engine for "torch", above all PyTorch.

The package is a library: functions take and return typed objects and never print. The CLI
(:mod:`glossary.cli`) and the Textual app (``tui``) are thin layers over it.
"""

__version__ = "0.1.0"
