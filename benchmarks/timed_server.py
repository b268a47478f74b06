"""The dashboard's server with a clock on each rerun, for ``python -m benchmarks.load``.

``python -m benchmarks.timed_server run dashboard.py ...`` starts Streamlit exactly as
``python -m streamlit`` does, and appends one line per event to the file named by
``RUN_TIMES_FILE``: when a session's rerun request arrived and when that session's run
finished. Both are read on the server's own clock, so a busy browser cannot stretch them.
Nothing of the dashboard itself is changed.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

_lock = threading.Lock()


def _record(session_id: str, event: str) -> None:
    line = json.dumps({"session": session_id, "event": event, "t": time.monotonic()})
    with _lock, open(os.environ["RUN_TIMES_FILE"], "a", encoding="utf-8") as out:
        out.write(line + "\n")


def _install() -> None:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.app_session import AppSession

    handle_backmsg = AppSession.handle_backmsg
    enqueue = AppSession._enqueue_forward_msg

    def timed_handle_backmsg(self, msg):
        if msg.WhichOneof("type") == "rerun_script":
            _record(self.id, "rerun")
        return handle_backmsg(self, msg)

    def timed_enqueue(self, msg):
        # A run that stopped early because a newer rerun replaced it is not an answer yet.
        if (
            msg.WhichOneof("type") == "script_finished"
            and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
        ):
            _record(self.id, "finished")
        return enqueue(self, msg)

    AppSession.handle_backmsg = timed_handle_backmsg
    AppSession._enqueue_forward_msg = timed_enqueue


def read_run_times(path) -> dict[str, dict[str, list[float]]]:
    """Per session: the times its rerun requests arrived and its runs finished."""
    sessions: dict[str, dict[str, list[float]]] = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            sessions.setdefault(row["session"], {"rerun": [], "finished": []})[row["event"]].append(
                row["t"]
            )
    return sessions


if __name__ == "__main__":
    _install()
    from streamlit.web.cli import main

    sys.argv[0] = "streamlit"
    sys.exit(main())
