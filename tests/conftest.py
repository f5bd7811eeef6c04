"""Fixtures shared by the emulator tests (integration and e2e); unit tests use none of them."""
import pytest

from frontdesk_core.infra.firebase import db
from tools.seed import seed

from .emulator import clear_firestore, require_emulators
from .fake_provider import serve


@pytest.fixture(scope="session")
def provider():
    """The local webhook/SMS provider the functions deliver to under the test project (demo-test).
    Up for the whole session: any test's follow-ups may reach it."""
    fake, server = serve()
    yield fake
    server.shutdown()


@pytest.fixture(scope="session")
def firestore(provider):
    """The Admin SDK's Firestore client on the emulator (bypasses security rules, as the agent and
    the functions do)."""
    require_emulators()
    return db()


@pytest.fixture
def salon_db(firestore, provider):
    """An emptied Firestore with the salon seeded, and a provider with nothing scripted."""
    clear_firestore()
    provider.reset()
    seed(firestore)
    return firestore


@pytest.fixture
def live_knowledge(salon_db):
    """The agent's knowledge index following the seeded salon's knowledge_base live."""
    from agent.knowledge import KnowledgeIndex
    index = KnowledgeIndex.from_firestore(salon_db, judge=None)
    yield index
    index.close()
