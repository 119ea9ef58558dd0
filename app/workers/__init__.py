"""Workers: the entry point that runs jobs (``turnabout worker``, or the runner embedded in the server)."""
