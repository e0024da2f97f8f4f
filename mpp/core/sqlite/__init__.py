"""The embedded default's database backend: Django's SQLite backend with pooled connections."""
