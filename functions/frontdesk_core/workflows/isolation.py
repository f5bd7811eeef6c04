"""One item at a time in a pass over many (the sweep, its repair pass): a failure is recorded in the
pass's `errors` and the pass goes on with the next item, so one malformed document never stalls the
queue behind it (issue 16 item 3)."""
from __future__ import annotations

from typing import Any, Callable


def isolated(errors: list[dict], step: str, item: str, work: Callable[[], Any]) -> Any:
    """`work()`, or None after recording its failure as {step, id, error}."""
    try:
        return work()
    except Exception as err:  # noqa: BLE001 - recorded in the pass's summary and log
        errors.append({"step": step, "id": item, "error": repr(err)[:300]})
        return None
