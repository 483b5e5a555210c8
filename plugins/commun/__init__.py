"""Commun: a static knowledge base of social-action practice, built from validated YAML/Markdown fiches.

The pipeline, one module per stage: load → validate → graph (links) → render; `cli` and `plugin`
wire the stages to the command line and to MkDocs.
"""
