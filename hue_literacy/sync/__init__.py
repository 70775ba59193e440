"""Progress events sent from phones in batches: stored once, refused clearly, never lost."""
