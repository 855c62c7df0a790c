"""The local web viewer (``iadsim view``): a read-only FastAPI app and its static page."""
