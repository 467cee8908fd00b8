"""The local certificate authority and what it needs: keys, CSR checks, issuing, OCSP, certificate hash data.

Pure cryptography (the `cryptography` package): no storage, no sockets.
"""
