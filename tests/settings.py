"""Settings of the daphne and Celery processes that tests start (tests/server.py): the production
settings with the test process's changes (tests/isolation.py), so both sides agree."""

import sys

from tests.isolation import overrides
from toricy.settings import *  # noqa: F403

globals().update(overrides(sys.modules[__name__]))
