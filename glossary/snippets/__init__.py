"""Runnable examples: run them isolated, check their output, decide whether they may run.

* :mod:`~glossary.snippets.runner`: :func:`run_snippet` / :func:`start_snippet` run one snippet
  in its own supervised process and return a :class:`RunResult`.
* :mod:`~glossary.snippets.warm`: :class:`WarmLauncher`, a pre-warmed interpreter to fork
  snippets from, so that ``import torch`` is paid once.
* :mod:`~glossary.snippets.checks`: compare output with what the entry expects;
  :func:`check_all` runs every snippet of a glossary in parallel.
* :mod:`~glossary.snippets.validation`: static checks for ``torchgloss validate``.
* :mod:`~glossary.snippets.trust`: bundled snippets run directly; a user's need confirmation.
"""
