"""OCPI 2.2.1 as a CPO (2.2 parties answered too): the app on the OCPI port, and the client that pushes to registered
parties through the durable queue in storage/. See docs/ocpi.md."""
