"""``torchgloss schema``: the JSON Schema of glossary YAML files, for editors."""

from __future__ import annotations

import json

import click


@click.command()
def schema() -> None:
    """Print the JSON Schema that glossary YAML files follow.

    \b
    例: torchgloss schema > torchgloss.schema.json
    Then point your editor's YAML language server at it, e.g. with the first line
    `# yaml-language-server: $schema=./torchgloss.schema.json` in a glossary file.
    The repository keeps a copy in glossary/glossary.schema.json.
    """
    from glossary.schema import glossary_json_schema

    click.echo(json.dumps(glossary_json_schema(), ensure_ascii=False, indent=2))
