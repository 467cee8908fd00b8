"""Commands queued by the API, delivered over station connections, with replies and timeouts stored."""
