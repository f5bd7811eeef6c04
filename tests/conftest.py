"""Fixtures shared by the emulator tests (integration and e2e); unit tests use none of them."""
import pytest

from frontdesk_core.firebase import db
from tools.seed import seed

from .emulator import clear_firestore, require_emulators


@pytest.fixture(scope="session")
def firestore():
    """The Admin SDK's Firestore client on the emulator (bypasses security rules, as the agent and
    the functions do)."""
    require_emulators()
    return db()


@pytest.fixture
def salon_db(firestore):
    """An emptied Firestore with the salon seeded."""
    clear_firestore()
    seed(firestore)
    return firestore
