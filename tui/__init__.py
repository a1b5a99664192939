"""torchgloss's terminal browser, built with Textual.

The package is a client of :mod:`glossary`: it asks the search engine for hits and entries,
asks the snippet runner to run examples, and renders what comes back. Nothing in
:mod:`glossary` imports it. Start it with ``torchgloss`` (or ``torchgloss tui``) or, from
Python, ``tui.patches.install()`` and then ``tui.app.GlossaryApp().run()`` (the patches
only save keystroke time; the app runs without them).
"""
