"""Datasette plugin (loaded with ``datasette --plugins-dir``; ``openness-kg serve`` passes it):
value, result and time limits, security headers, no absolute path on ``/-/databases``, and a
database replaced by a rebuild served from the next query on. The hooks live in
:mod:`openness_kg.publish.serving`, where they are documented and tested.
"""
from openness_kg.publish.serving import asgi_wrapper, prepare_connection, startup  # noqa: F401

__all__ = ["asgi_wrapper", "prepare_connection", "startup"]
