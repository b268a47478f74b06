"""The load benchmark's rerun time: each rerun request paired with the run end that answers it."""

import base64

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.load import Wire, p95


def frame(msg, at: float, opcode: int = 2) -> dict:
    return {
        "timestamp": at,
        "response": {
            "opcode": opcode,
            "payloadData": base64.b64encode(msg.SerializeToString()).decode(),
        },
    }


def rerun() -> BackMsg:
    msg = BackMsg()
    msg.rerun_script.query_string = ""
    return msg


def finished(status) -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = status
    return msg


def test_each_rerun_is_answered_by_the_first_complete_run_after_it():
    wire = Wire()
    wire.on_sent(frame(rerun(), 10.0))
    wire.on_received(frame(finished(ForwardMsg.FINISHED_SUCCESSFULLY), 10.4))
    wire.on_sent(frame(rerun(), 20.0))
    # replaced by a newer rerun: not an answer
    wire.on_received(frame(finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN), 20.5))
    wire.on_received(frame(finished(ForwardMsg.FINISHED_SUCCESSFULLY), 21.5))
    wire.on_sent(frame(rerun(), 30.0))  # never answered (the session ended): not counted
    heartbeat = BackMsg()
    heartbeat.app_heartbeat = True
    wire.on_sent(frame(heartbeat, 31.0))
    wire.on_received({"timestamp": 32.0, "response": {"opcode": 1, "payloadData": "text"}})
    times = wire.rerun_times()
    assert [round(t, 3) for t in times] == [0.4, 1.5]


def test_p95_of_twenty_values_is_the_nineteenth():
    assert p95([float(i) for i in range(1, 21)]) == 19.0
    assert p95([]) != p95([])  # nan for no clicks
