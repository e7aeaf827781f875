"""Measures the design's performance targets on this machine, in one run.

- throughput and p95 latency of the whole stack (Rasa + actions + backend, identity
  checks on) with 10 users at once, against the stock `rasa init` bot started in the same
  run on the same machine, in short conversations (5 turns) and long ones (50 turns),
  500 messages each way, twice per side in the order ours, stock, stock, ours (the report
  gives the mean of the two rounds, and each round);
- the 50th turn of a conversation against its 5th;
- training the shipped model from scratch (an empty training cache);
- cold start to "ready" of the whole stack against the stock bot's, and the resident
  memory of all processes together.

Run it with the Rasa environment's Python after `make test` or `make run` trained the
model: `.venv/rasa/bin/python scripts/benchmark.py`. It prints a JSON report and the
table for the README. Only loopback traffic; every loop is bounded.

With ``--cluster`` it measures the cluster of scripts/cluster.py instead (PostgreSQL and
Redis of this machine, databases of its own): messages per second through the balancer
with 2 Rasa replicas and then with 1 (the other stopped), the CPU each process spent per
message, PostgreSQL rows and commits and Redis commands per message, and afterwards
checks that every message of the load was stored exactly once.
"""
import http.client
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
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.cluster import Cluster  # noqa: E402
from scripts.stack import ROOT, VENV_DIR, Service, Stack, free_port, free_port_block  # noqa: E402

CONVERSATIONS = 10
TURNS = 50
RASA = str(VENV_DIR / "rasa" / "bin" / "rasa")
# Five messages each, so that the 5th and the 50th turn send the same message and their
# times differ only by the length of the conversation behind them.
OUR_TURNS = ["你好", "我的账户现在什么状态", "I can't log in", "借呗怎样才能开通", "为什么我开不了花呗"]
STOCK_TURNS = ["hello", "I am sad", "yes", "are you a bot?", "great"]
assert (TURNS - 5) % len(OUR_TURNS) == 0 and (TURNS - 5) % len(STOCK_TURNS) == 0


def post(connection: http.client.HTTPConnection, path: str, body: Dict) -> float:
    """Sends one message on a kept-alive connection, as a chat client holds one; returns
    the seconds until the whole reply arrived."""
    data = json.dumps(body).encode()
    started = time.perf_counter()
    connection.request("POST", path, body=data, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return time.perf_counter() - started


def run_load(webhook: str, turns: List[str], metadata: Dict, senders: List[str] = None,
             turns_each: int = TURNS) -> Dict:
    """CONVERSATIONS users at once, each holding conversations of `turns_each` messages one
    after another until it has sent TURNS messages (50 turns: one long conversation each;
    5 turns: ten short ones); latency per turn index. The conversations' ids are appended
    to `senders` when given."""
    assert TURNS % turns_each == 0
    latencies: List[List[float]] = [[] for _ in range(turns_each)]
    lock = threading.Lock()
    target = urlsplit(webhook)

    def user(number: int) -> None:
        for _ in range(TURNS // turns_each):
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            sender = f"bench-{number}-{secrets.token_hex(4)}"
            if senders is not None:
                senders.append(sender)
            for turn in range(turns_each):
                body = {"sender": sender, "message": turns[turn % len(turns)], "metadata": metadata}
                seconds = post(connection, target.path, body)
                with lock:
                    latencies[turn].append(seconds)
            connection.close()

    threads = [threading.Thread(target=user, args=(n,)) for n in range(CONVERSATIONS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    every = sorted(x for turn in latencies for x in turn)
    if len(every) != CONVERSATIONS * TURNS:
        raise RuntimeError(f"{len(every)} of {CONVERSATIONS * TURNS} messages were answered")
    return {
        "messages_per_second": round(len(every) / elapsed, 1),
        "p95_ms": round(every[int(0.95 * (len(every) - 1))] * 1000, 1),
        "median_ms": round(statistics.median(every) * 1000, 1),
        "turn_5_median_ms": round(statistics.median(latencies[4]) * 1000, 1),
        f"turn_{turns_each}_median_ms": round(statistics.median(latencies[-1]) * 1000, 1),
    }


def mean_of_rounds(rounds: List[Dict]) -> Dict:
    """Each figure averaged over the rounds. The loads run in the order ours, stock, stock,
    ours: this machine's speed drifts within a run, and the order cancels a steady drift
    instead of handing it to whichever side runs last."""
    return {key: round(statistics.mean(r[key] for r in rounds), 1) for key in rounds[0]}


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


def bench_environment(work: Path) -> Dict[str, str]:
    return dict(os.environ, DATA_DIR=str(work / "data"), BACKEND_PORT=str(free_port()),
                ACTIONS_PORT=str(free_port()), RASA_PORT=str(free_port()),
                SERVICE_TOKEN=secrets.token_urlsafe(16), RASA_API_TOKEN=secrets.token_urlsafe(16),
                ACTION_SERVER_TOKEN=secrets.token_urlsafe(16),
                # the load generator plays ten users from one address, each as fast as the
                # server answers: far past what the channels allow one person by default
                MESSAGE_LIMIT_PER_CONVERSATION="100000/60", MESSAGE_LIMIT_PER_ADDRESS="100000/60",
                DEMO_AGENT_PASSWORD=secrets.token_urlsafe(8), SOCKET_SECRET=secrets.token_urlsafe(16))


def app_session(backend_url: str, phone: str = "13800000001") -> str:
    return json.loads(urllib.request.urlopen(urllib.request.Request(
        f"{backend_url}/api/v1/demo/app-session", method="POST",
        data=json.dumps({"phone": phone}).encode(), headers={"Content-Type": "application/json"})).read())["token"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def shared_state_counters(cluster: Cluster) -> Dict[str, float]:
    """PostgreSQL rows inserted and commits (both databases), Redis commands so far."""
    import psycopg2
    import redis

    counters = {"postgres_rows_inserted": 0, "postgres_commits": 0}
    with psycopg2.connect(f"{cluster.env['POSTGRES_URL'].rstrip('/')}/postgres") as connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT sum(tup_inserted), sum(xact_commit) FROM pg_stat_database WHERE datname IN %s",
                           ((cluster.env["CLUSTER_NAME"], f"{cluster.env['CLUSTER_NAME']}_tracker"),))
            inserted, commits = cursor.fetchone()
    connection.close()
    counters.update(postgres_rows_inserted=int(inserted), postgres_commits=int(commits))
    stats = redis.Redis.from_url(cluster.env["REDIS_URL"]).info("commandstats")
    counters["redis_commands"] = sum(value["calls"] for value in stats.values())
    return counters


def stored_exactly_once(cluster: Cluster, senders: List[str], turns: int) -> Dict[str, int]:
    """Conversations whose user messages in the tracker store are not exactly the ones sent."""
    import psycopg2

    lost = duplicated = 0
    with psycopg2.connect(cluster.env["RASA_TRACKER_URL"]) as connection:
        with connection.cursor() as cursor:
            for sender in senders:
                cursor.execute("SELECT count(*), count(DISTINCT data) FROM events "
                               "WHERE sender_id = %s AND type_name = 'user'", (sender,))
                count, distinct = cursor.fetchone()
                lost += max(0, turns - count)
                duplicated += count - distinct
    connection.close()
    return {"conversations": len(senders), "user_messages_lost": lost, "user_messages_duplicated": duplicated}


def measure_cluster(cluster: Cluster, token: str, label: str, senders: List[str]) -> Dict:
    """One load through the balancer; CPU per message of every running process."""
    running = {s.name: cluster.pid(s) for s in cluster.services if cluster.pid(s)}
    cpu_before = {name: cpu_seconds(pid) for name, pid in running.items()}
    shared_before = shared_state_counters(cluster)
    print(f"loading the cluster with {label}…", flush=True)
    result = run_load(f"{cluster.env['RASA_URL']}/webhooks/rest/webhook", OUR_TURNS, {"session_token": token}, senders)
    messages = CONVERSATIONS * TURNS
    result["cpu_ms_per_message"] = {
        name: round((cpu_seconds(pid) - cpu_before[name]) * 1000 / messages, 1) for name, pid in running.items()}
    shared_after = shared_state_counters(cluster)
    result["per_message"] = {key: round((shared_after[key] - shared_before[key]) / messages, 1) for key in shared_after}
    return result


def start_timed(stack: Stack, **start_options) -> float:
    """Seconds from starting the stack's processes until every one answers."""
    started = time.perf_counter()
    stack.start(progress=lambda line: print(line, flush=True), **start_options)
    return round(time.perf_counter() - started, 1)


def main_cluster() -> int:
    """2 Rasa replicas against 1, in one cluster on this machine (see the module docstring)."""
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    env = bench_environment(work)
    env.update({name: str(free_port_block(2)) for name in ("BACKEND_PORT", "ACTIONS_PORT", "RASA_PORT")},
               CLUSTER_PORT=str(free_port()), CLUSTER_NAME=f"bench{secrets.token_hex(4)}",
               REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
    cluster = Cluster(env=env, replicas=2)
    report: Dict = {"replicas": 2, "conversations_at_once": CONVERSATIONS, "turns_each": TURNS}
    senders: List[str] = []
    try:
        report["cold_start_seconds"] = start_timed(cluster, timeout=600)
        token = app_session(env["BACKEND_URL"])
        report["two_rasa_replicas"] = measure_cluster(cluster, token, "2 Rasa replicas", senders)
        second = cluster.service_named("rasa")[1]
        cluster.control("stop", second.program)
        time.sleep(5)  # HAProxy marks it down (checks every 2 s, 2 failures)
        report["one_rasa_replica"] = measure_cluster(cluster, token, "1 Rasa replica", senders)
        report["exactly_once"] = stored_exactly_once(cluster, senders, TURNS)
        report["resident_mb_all_processes"] = resident_mb([cluster.pid(s) for s in cluster.services])
    finally:
        cluster.stop()
        drop = f"{env.get('POSTGRES_URL', 'postgresql://postgres@127.0.0.1:5432').rstrip('/')}/postgres"
        for database in (env["CLUSTER_NAME"], f"{env['CLUSTER_NAME']}_tracker"):
            subprocess.run(["psql", drop, "-qc", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'], check=False)
    two, one = report["two_rasa_replicas"], report["one_rasa_replica"]
    report["checks"] = {
        "two_over_one_replica_throughput (>= 1.3)": round(two["messages_per_second"] / one["messages_per_second"], 2),
        "lost_or_duplicated_messages (== 0)": report["exactly_once"]["user_messages_lost"]
        + report["exactly_once"]["user_messages_duplicated"],
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def train_from_scratch(work: Path) -> float:
    """Seconds `rasa train` takes for the shipped model with an empty training cache."""
    started = time.perf_counter()
    subprocess.run([RASA, "train", "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
                    "--out", str(work / "models")], check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=dict(os.environ, RASA_CACHE_DIRECTORY=str(work / "cache")))
    return round(time.perf_counter() - started, 1)


def main() -> int:
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    if "--cluster" in sys.argv[1:]:
        return main_cluster()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    env = bench_environment(work)
    report: Dict = {"conversations_at_once": CONVERSATIONS, "messages_per_load": CONVERSATIONS * TURNS}
    print("training our model from scratch…", flush=True)
    report["training_from_scratch_seconds"] = train_from_scratch(work)
    print("training the stock `rasa init` bot…", flush=True)
    stock = Stack(env=dict(env, DATA_DIR=str(work / "stock-data")), only=[])
    stock.services = [stock_bot(work / "stock")]
    ours = Stack(env=env)
    try:
        report["cold_start_seconds"] = {"ours_whole_stack": start_timed(ours), "stock_bot": start_timed(stock)}
        token = app_session(env["BACKEND_URL"])
        ours_webhook = f"{env['RASA_URL']}/webhooks/rest/webhook"
        stock_webhook = f"http://127.0.0.1:{stock.services[0].port}/webhooks/rest/webhook"
        for length, turns_each in (("short", 5), ("long", TURNS)):
            print(f"loading our stack and the stock bot, {turns_each}-turn conversations…", flush=True)
            loads = {"ours": (ours_webhook, OUR_TURNS, {"session_token": token}),
                     "stock": (stock_webhook, STOCK_TURNS, {})}
            rounds = {"ours": [], "stock": []}
            for side in ("ours", "stock", "stock", "ours"):
                rounds[side].append(run_load(*loads[side], turns_each=turns_each))
            report[length] = {side: mean_of_rounds(results) for side, results in rounds.items()}
            report[length]["rounds"] = rounds
        report["resident_mb_all_processes"] = resident_mb([ours.pid(s) for s in ours.services])
        report["resident_mb_by_process"] = {s.name: resident_mb([ours.pid(s)]) for s in ours.services}
    finally:
        ours.stop()
        stock.stop()
    report["checks"] = checks(report)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def checks(report: Dict) -> Dict:
    """The design's targets (DESIGN.md "Targets") against this run's figures."""
    found = {}
    for length in ("short", "long"):
        ours, stock = report[length]["ours"], report[length]["stock"]
        found[f"{length}: throughput ratio (>= 2)"] = round(ours["messages_per_second"] / stock["messages_per_second"], 2)
        found[f"{length}: p95 ratio (<= 0.5)"] = round(ours["p95_ms"] / stock["p95_ms"], 2)
    long_ours = report["long"]["ours"]
    found["turn 50 / turn 5 (<= 1.2)"] = round(long_ours[f"turn_{TURNS}_median_ms"] / long_ours["turn_5_median_ms"], 2)
    cold = report["cold_start_seconds"]
    found["cold start s (<= 60 and < the stock bot's)"] = f"{cold['ours_whole_stack']} vs {cold['stock_bot']}"
    found["training from scratch s (<= 180)"] = report["training_from_scratch_seconds"]
    found["resident MB (<= 1536)"] = report["resident_mb_all_processes"]
    return found


if __name__ == "__main__":
    sys.exit(main())
