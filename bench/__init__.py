"""`make bench`: the gateway under load next to a bare echo server on the same stack; prints a table."""
