"""The web UI and REST API (``dateline serve``): ``dateline.web.app`` holds ``create_app`` and ``serve``.

Importing this package does not import fastapi; ``dateline.web.app`` does.
"""
