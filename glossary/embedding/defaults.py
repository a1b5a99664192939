"""The bundled model's name: a leaf module, so the search path can name it without importing
the embedding code."""

DEFAULT_MODEL_NAME = "multilingual-e5-small"
"""The model torchgloss uses unless ``--model`` or ``TORCHGLOSS_MODEL`` says otherwise."""
