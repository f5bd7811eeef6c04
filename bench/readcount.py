"""Count Firestore document reads a client makes, as Firestore bills them: one per document a get
returns (a missing document too), one per document a query returns and at least one per query.

It wraps the client's own RPCs (BatchGetDocuments, RunQuery, RunAggregationQuery), under every
`get`, `stream`, `get_all` and transaction read, so nothing the code under test reads is missed.
"""
from __future__ import annotations

import threading

from google.cloud import firestore


class ReadCounter:
    def __init__(self, db: firestore.Client) -> None:
        self.reads = 0
        self._lock = threading.Lock()
        api = db._firestore_api   # the client's GAPIC stub, created on first use
        gets, queries, aggregations = api.batch_get_documents, api.run_query, api.run_aggregation_query

        def batch_get_documents(*args, **kwargs):
            for response in gets(*args, **kwargs):
                if response._pb.HasField("found") or response._pb.HasField("missing"):
                    self._add(1)
                yield response

        def run_query(*args, **kwargs):
            returned = 0
            try:
                for response in queries(*args, **kwargs):
                    if response._pb.HasField("document"):
                        returned += 1
                    yield response
            finally:
                self._add(max(returned, 1))

        def run_aggregation_query(*args, **kwargs):
            try:
                yield from aggregations(*args, **kwargs)
            finally:
                self._add(1)   # per 1000 index entries counted; the code here counts none that large

        api.batch_get_documents, api.run_query = batch_get_documents, run_query
        api.run_aggregation_query = run_aggregation_query

    def _add(self, n: int) -> None:
        with self._lock:
            self.reads += n

    def take(self) -> int:
        """Reads since the last take."""
        with self._lock:
            n, self.reads = self.reads, 0
            return n
