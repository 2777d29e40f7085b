import pytest

from accounts.tests.factories import UserFactory


@pytest.fixture
def author(db):
    # English, so that tests read the messages as written in the code.
    return UserFactory(username="anna", display_name="Анна", language="en")


@pytest.fixture
def viewer(db):
    return UserFactory(username="boris", display_name="Борис")


@pytest.fixture
def outsider(db):
    return UserFactory(username="vera", display_name="Вера")
