"""The read side (``app.domain.read_side``): SQL straight to read models, visibility in SQL."""
