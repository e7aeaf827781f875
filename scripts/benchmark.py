"""Measures the design's performance targets on this machine, in one run.

- throughput and p95 latency of the whole stack (Rasa + actions + backend, identity
  checks on) at 10 concurrent conversations, against the stock `rasa init` bot started
  in the same run on the same machine;
- the 50th turn of a conversation against its 5th;
- cold start to "ready" and the resident memory of all processes together.

Run it with the Rasa environment's Python after `make test` or `make run` trained the
model: `.venv/rasa/bin/python scripts/benchmark.py`. It prints a JSON report and the
table for the README. Only loopback traffic; every loop is bounded.
"""
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import VENV_DIR, Service, Stack, free_port  # noqa: E402

CONVERSATIONS = 10
TURNS = 50
RASA = str(VENV_DIR / "rasa" / "bin" / "rasa")
# Five messages each, so that the 5th and the 50th turn send the same message and their
# times differ only by the length of the conversation behind them.
OUR_TURNS = ["你好", "我的账户现在什么状态", "I can't log in", "借呗怎样才能开通", "为什么我开不了花呗"]
STOCK_TURNS = ["hello", "I am sad", "yes", "are you a bot?", "great"]
assert (TURNS - 5) % len(OUR_TURNS) == 0 and (TURNS - 5) % len(STOCK_TURNS) == 0


def post(url: str, body: Dict) -> float:
    """Sends one message; returns the seconds until the whole reply arrived."""
    data = json.dumps(body).encode()
    started = time.perf_counter()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return time.perf_counter() - started


def run_load(webhook: str, turns: List[str], metadata: Dict) -> Dict:
    """CONVERSATIONS conversations at once, TURNS messages each; latency per turn index."""
    latencies: List[List[float]] = [[] for _ in range(TURNS)]
    lock = threading.Lock()

    def conversation(number: int) -> None:
        sender = f"bench-{number}-{secrets.token_hex(4)}"
        for turn in range(TURNS):
            body = {"sender": sender, "message": turns[turn % len(turns)], "metadata": metadata}
            seconds = post(webhook, body)
            with lock:
                latencies[turn].append(seconds)

    threads = [threading.Thread(target=conversation, args=(n,)) for n in range(CONVERSATIONS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    every = sorted(x for turn in latencies for x in turn)
    return {
        "messages_per_second": round(len(every) / elapsed, 1),
        "p95_ms": round(every[int(0.95 * (len(every) - 1))] * 1000, 1),
        "median_ms": round(statistics.median(every) * 1000, 1),
        "turn_5_median_ms": round(statistics.median(latencies[4]) * 1000, 1),
        "turn_50_median_ms": round(statistics.median(latencies[TURNS - 1]) * 1000, 1),
    }


def resident_mb(pids: List[int]) -> float:
    """Resident memory of these processes and all their descendants."""
    children: Dict[int, List[int]] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            children.setdefault(int(fields["PPid"]), []).append(int(fields["Pid"]))
        except (OSError, KeyError, ValueError):
            continue
    total_kb, todo = 0, list(pids)
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            rss = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmRSS"))
            total_kb += int(rss.split()[1])
        except (OSError, StopIteration):
            continue
    return round(total_kb / 1024)


def stock_bot(workdir: Path) -> Service:
    """The `rasa init` bot, trained here, served alone (it needs no action server)."""
    workdir.mkdir(parents=True)
    subprocess.run([RASA, "init", "--no-prompt", "--init-dir", str(workdir)], check=True, cwd=workdir,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ)
    model = next(workdir.glob("models/*.tar.gz"))
    port = free_port()
    return Service("stock bot", "STOCK_PORT", port,
                   [RASA, "run", "--port", str(port), "--interface", "127.0.0.1", "--model", str(model)],
                   workdir, f"http://127.0.0.1:{port}/")


def main() -> int:
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    env = dict(os.environ, DATA_DIR=str(work / "data"), BACKEND_PORT=str(free_port()),
               ACTIONS_PORT=str(free_port()), RASA_PORT=str(free_port()),
               SERVICE_TOKEN=secrets.token_urlsafe(16), RASA_API_TOKEN=secrets.token_urlsafe(16),
               ACTION_SERVER_TOKEN=secrets.token_urlsafe(16),
               # the load generator plays ten users from one address, each as fast as the
               # server answers: far past what the channels allow one person by default
               MESSAGE_LIMIT_PER_CONVERSATION="100000/60", MESSAGE_LIMIT_PER_ADDRESS="100000/60",
               DEMO_AGENT_PASSWORD=secrets.token_urlsafe(8), SOCKET_SECRET=secrets.token_urlsafe(16))
    print("training the stock `rasa init` bot…", flush=True)
    stock = Stack(env=dict(env, DATA_DIR=str(work / "stock-data")), only=[])
    stock.services = [stock_bot(work / "stock")]
    ours = Stack(env=env)
    report = {}
    try:
        started = time.perf_counter()
        ours.start(progress=lambda line: print(line, flush=True))
        report["cold_start_seconds"] = round(time.perf_counter() - started, 1)
        stock.start(progress=lambda line: print(line, flush=True))
        token = json.loads(urllib.request.urlopen(urllib.request.Request(
            f"{env['BACKEND_URL']}/api/v1/demo/app-session", method="POST",
            data=json.dumps({"phone": "13800000001"}).encode(),
            headers={"Content-Type": "application/json"})).read())["token"]
        print("loading our stack…", flush=True)
        report["ours"] = run_load(f"{env['RASA_URL']}/webhooks/rest/webhook", OUR_TURNS, {"session_token": token})
        report["ours"]["resident_mb_all_processes"] = resident_mb([ours.pid(s) for s in ours.services])
        report["ours"]["resident_mb_by_process"] = {s.name: resident_mb([ours.pid(s)]) for s in ours.services}
        print("loading the stock bot…", flush=True)
        report["stock"] = run_load(f"http://127.0.0.1:{stock.services[0].port}/webhooks/rest/webhook", STOCK_TURNS, {})
    finally:
        ours.stop()
        stock.stop()
    ours_, stock_ = report["ours"], report["stock"]
    report["checks"] = {
        "throughput_ratio (>= 1.5)": round(ours_["messages_per_second"] / stock_["messages_per_second"], 2),
        "p95_ratio (<= 1.0)": round(ours_["p95_ms"] / stock_["p95_ms"], 2),
        "turn50_over_turn5 (<= 1.2)": round(ours_["turn_50_median_ms"] / ours_["turn_5_median_ms"], 2),
        "cold_start_s (<= 60)": report["cold_start_seconds"],
        "resident_mb (<= 1536)": ours_["resident_mb_all_processes"],
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
