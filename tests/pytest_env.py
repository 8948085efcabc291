"""Loaded with `-p tests.pytest_env` before Django is set up: the environment the suite runs in."""

import os

# The end-to-end tests launch the tool from the practice LMS, so it is mounted during tests.
os.environ.setdefault("PRACTICE_LMS", "1")
# Production settings (DEBUG off) need a secret key; this one is for tests only.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-" + "x" * 20)
