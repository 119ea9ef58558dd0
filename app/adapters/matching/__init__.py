"""Running the matching engine outside the web process."""
