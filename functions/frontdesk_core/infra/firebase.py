"""One way to reach Firestore for the agent, the tools and the functions.

On the Emulator Suite (FIRESTORE_EMULATOR_HOST set, or inside the Functions emulator) firebase-admin still asks Application Default
Credentials for a credential and fails, so an anonymous one is given; against a real project the
default credentials are used.
"""
from __future__ import annotations

import os

import firebase_admin
from firebase_admin import credentials, firestore
from google.auth.credentials import AnonymousCredentials

DEFAULT_PROJECT = "demo-frontdesk"


class _EmulatorCredential(credentials.Base):
    def get_credential(self):
        return AnonymousCredentials()


def project_id() -> str:
    return (os.environ.get("GCLOUD_PROJECT") or os.environ.get("GOOGLE_CLOUD_PROJECT")
            or DEFAULT_PROJECT)


def app() -> firebase_admin.App:
    try:
        return firebase_admin.get_app()
    except ValueError:
        on_emulator = (bool(os.environ.get("FIRESTORE_EMULATOR_HOST"))
                       or os.environ.get("FUNCTIONS_EMULATOR") == "true")
        cred = _EmulatorCredential() if on_emulator else None
        return firebase_admin.initialize_app(cred, {"projectId": project_id()})


def db():
    """The Firestore client (google.cloud.firestore.Client), created once per process."""
    return firestore.client(app())
