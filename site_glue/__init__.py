"""Build-time glue between the MkDocs guide and the decision engine (never imported by the engine)."""
