"""The web layer: the REST API and the pages over a letopis database (`letopis serve`)."""
from .app import create_app, serve

__all__ = ["create_app", "serve"]
