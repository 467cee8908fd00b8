"""The test suite; see conftest.py for the shared fixtures."""
