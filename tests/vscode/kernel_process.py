"""Test only: runs code in a local ipykernel for the VS Code test controller.

Reads JSON lines ``{"code": ...}`` on standard input and answers each with
``{"execution_count", "status", "outputs"}``, the outputs as nbformat JSON.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from jupyter_client.manager import start_new_kernel
from nbformat.v4 import output_from_msg


def run(client: Any, code: str) -> dict[str, Any]:
    msg_id = client.execute(code)
    outputs = []
    while True:
        message = client.get_iopub_msg(timeout=60)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind = message["msg_type"]
        if kind == "status" and message["content"]["execution_state"] == "idle":
            break
        if kind in {"stream", "display_data", "execute_result", "error"}:
            outputs.append(output_from_msg(message))
    reply = client.get_shell_msg(timeout=60)["content"]
    count, status = reply["execution_count"], reply["status"]
    return {"execution_count": count, "status": status, "outputs": outputs}


def main() -> None:
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        for line in sys.stdin:
            answer = run(client, json.loads(line)["code"])
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
