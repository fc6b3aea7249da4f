#!/usr/bin/env python3
"""Helpers for bench/run.sh (Python 3 standard library only).

  token                         print an API key token nobody issued, with a valid CRC32 checksum
  create-keys URL KEY N P       create N keys through the API with P connections; --use verifies each once
  revocation URL_A URL_B KEY C  measure how fast (de/re)activation and deletion reach instance B
  rejections LOG PREFIX         sum the Count of the ApiKeyRejected events in a JSON log
  wrkresult FILE                turn wrk's WRKRESULT line into shell assignments
  fact FILE NAME VALUE          record a fact (JSON if VALUE parses as JSON) for the report
  report RESULTS FACTS          print the final table and the goals of issue 5

Every subcommand prints one JSON object (or shell assignments) on stdout for run.sh.
"""
import http.client
import json
import os
import secrets
import statistics
import sys
import threading
import time
import zlib
from urllib.parse import urlsplit

HELLO = "/api/hello_world/authenticated"
KEYS = "/api/credentials/keys"


def token():
    body = "key_" + secrets.token_hex(20)
    return body + "%08x" % zlib.crc32(body.encode("ascii"))


class Client:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, url):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.conn = None

    def request(self, method, path, key=None, body=None):
        headers = {}
        if key is not None:
            headers["x-api-key"] = key
        if body is not None:
            body = json.dumps(body).encode()
            headers["content-type"] = "application/json"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, data
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise


def create_keys(url, key, count, parallel, use):
    count, parallel = int(count), int(parallel)
    lock = threading.Lock()
    next_index = [0]
    statuses = {}
    uses = {}

    def worker():
        client = Client(url)
        while True:
            with lock:
                if next_index[0] >= count:
                    return
                next_index[0] += 1
                i = next_index[0]
            status, data = client.request("POST", KEYS, key, {"name": "bulk %d" % i})
            used = None
            if status == 201 and use:
                used, _ = client.request("GET", HELLO, json.loads(data)["token"])
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if used is not None:
                    uses[used] = uses.get(used, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({
        "created": statuses.get(201, 0),
        "statuses": {str(k): v for k, v in statuses.items()},
        "used_statuses": {str(k): v for k, v in uses.items()},
        "seconds": round(time.perf_counter() - started, 1),
    }))


def revocation(url_a, url_b, admin_key, cycles):
    """
    On A: create a key, then deactivate/reactivate it `cycles` times and finally delete it. After each
    change, the very next request on A must see it, and B (another instance on the same database) is
    polled on one keep-alive connection until it does; the delay runs from the moment A's response
    arrived. Meanwhile a second connection keeps sending the key to A; any 200 to a request sent after
    the deactivate/delete response arrived is a violation.
    """
    cycles = int(cycles)
    a, a_next, b = Client(url_a), Client(url_a), Client(url_b)
    status, data = a.request("POST", KEYS, admin_key, {"name": "revocation probe"})
    assert status == 201, (status, data)
    created_at = time.perf_counter()
    created = json.loads(data)
    tok, heron_id = created["token"], created["heron_id"]

    def poll(client, want, timeout=5.0):
        polls = 0
        while True:
            status, _ = client.request("GET", HELLO, tok)
            polls += 1
            now = time.perf_counter()
            if status == want:
                return now, polls
            if now - start > timeout:
                return None, polls

    result = {"deactivate_ms": [], "reactivate_ms": [], "delete_ms": None, "new_key_ms": None,
              "a_next_request_ok": 0, "a_next_request_checks": 0, "a_violations": 0, "a_hammer_requests": 0}

    start = created_at
    seen, _ = poll(b, 200)
    result["new_key_ms"] = None if seen is None else round((seen - created_at) * 1000, 1)

    hammer_log = []
    stop = threading.Event()

    def hammer():
        client = Client(url_a)
        while not stop.is_set():
            sent = time.perf_counter()
            status, _ = client.request("GET", HELLO, tok)
            hammer_log.append((sent, status))

    def change(method, path, want_after, bucket):
        nonlocal start
        hammer_log.clear()
        stop.clear()
        thread = threading.Thread(target=hammer)
        thread.start()
        time.sleep(0.05)
        status, body = a.request(method, path, admin_key)
        start = time.perf_counter()
        assert status in (200, 204), (status, body)
        next_status, _ = a_next.request("GET", HELLO, tok)
        result["a_next_request_checks"] += 1
        result["a_next_request_ok"] += next_status == want_after
        seen, polls = poll(b, want_after)
        time.sleep(0.05)
        stop.set()
        thread.join()
        result["a_hammer_requests"] += len(hammer_log)
        if want_after == 401:
            result["a_violations"] += sum(1 for sent, s in hammer_log if sent > start and s == 200)
        delay = None if seen is None else round((seen - start) * 1000, 1)
        if bucket is None:
            return delay
        result[bucket].append(delay)
        # Let B see the key in its current state again before the next change.
        time.sleep(0.15)

    for _ in range(cycles):
        change("PUT", "%s/%s/deactivate" % (KEYS, heron_id), 401, "deactivate_ms")
        change("PUT", "%s/%s/activate" % (KEYS, heron_id), 200, "reactivate_ms")
    result["delete_ms"] = change("DELETE", "%s/%s" % (KEYS, heron_id), 401, None)

    measured = [d for d in result["deactivate_ms"] + result["reactivate_ms"] + [result["delete_ms"]] if d is not None]
    result["timeouts"] = len(result["deactivate_ms"]) + len(result["reactivate_ms"]) + 1 - len(measured)
    result["max_ms"] = max(measured) if measured else None
    result["median_ms"] = statistics.median(measured) if measured else None
    print(json.dumps(result))


def rejections(log, fixed_prefix):
    """
    Sums the Count of the ApiKeyRejected events (status 401) by reason, and counts the request log's
    401 lines (one per request, written by Serilog's request logging) as the server's own tally.
    """
    sums = {}
    events = {}
    per_second_fixed = {}
    access_401 = 0
    with open(log, "r", encoding="utf-8", errors="replace") as f:
        for line in f:
            if '"ApiKeyRejected"' in line:
                e = json.loads(line)
                if e.get("Status") != 401:
                    continue
                reason = e.get("Reason")
                group = reason
                if reason == "unknown":
                    group = "unknown_fixed" if e.get("TokenPrefix") == fixed_prefix else "unknown_other"
                sums[group] = sums.get(group, 0) + int(e["Count"])
                events[group] = events.get(group, 0) + 1
                if group == "unknown_fixed":
                    per_second_fixed[e["Second"]] = per_second_fixed.get(e["Second"], 0) + 1
            elif '"StatusCode":401' in line and "RequestLoggingMiddleware" in line:
                access_401 += 1
    print(json.dumps({
        "count_sum": sums,
        "events": events,
        "count_sum_total": sum(sums.values()),
        "request_log_401": access_401,
        "max_events_per_second_fixed": max(per_second_fixed.values()) if per_second_fixed else 0,
        "seconds_fixed": len(per_second_fixed),
    }))


def shared_limit(limit, *logs):
    """Requests of the customer each instance served (200) and throttled (429), from the request logs."""
    served, throttled = [], []
    for log in logs:
        ok = refused = 0
        with open(log) as f:
            for line in f:
                if "RequestLoggingMiddleware" not in line or '"RequestPath":"/api/hello_world/authenticated"' not in line:
                    continue
                if '"StatusCode":200' in line:
                    ok += 1
                elif '"StatusCode":429' in line:
                    refused += 1
        served.append(ok)
        throttled.append(refused)
    print(json.dumps({"limit": int(limit), "served": served, "throttled": throttled}))


def wrkresult(path):
    with open(path) as f:
        for line in f:
            if line.startswith("WRKRESULT "):
                for pair in line.split()[1:]:
                    name, value = pair.split("=")
                    print("W_%s=%s" % (name, value))
                return
    sys.exit("no WRKRESULT line in %s" % path)


def fact(path, name, value):
    with open(path) as f:
        facts = json.load(f)
    try:
        facts[name] = json.loads(value)
    except ValueError:
        facts[name] = value
    with open(path, "w") as f:
        json.dump(facts, f, indent=1)


CASES = {
    "a": "GET /api/hello_world, no key",
    "a2": "the same as a again, after b (control)",
    "b": "GET .../authenticated, valid key",
    "bs": "the same, key with scopes and an IP allowlist",
    "c": "flood: one unknown key (valid checksum)",
    "d": "flood: random malformed keys",
    "e": "flood: random unknown keys (valid checksums)",
}


def report(results_path, facts_path):
    with open(facts_path) as f:
        facts = json.load(f)
    rows = []
    with open(results_path) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            for k in header[2:]:
                r[k] = int(r[k])
            r["rps"] = r["requests"] * 1e6 / r["duration_us"]
            rows.append(r)

    def baseline(phase, case):
        """Per round, what a case is compared with: a, and a2 as well when the round has it (it brackets b with a:
        a drift of the machine during the round cancels out). The control a2 itself is compared with a alone."""
        a = {r["round"]: r for r in rows if r["phase"] == phase and r["case"] == "a"}
        a2 = {} if case == "a2" else {r["round"]: r for r in rows if r["phase"] == phase and r["case"] == "a2"}
        return {n: (r, a2.get(n)) for n, r in a.items()}

    def summary(phase, case):
        runs = [r for r in rows if r["phase"] == phase and r["case"] == case]
        if not runs:
            return None
        requests = sum(r["requests"] for r in runs)
        base = baseline(phase, case)
        def base_of(r, key):
            first, second = base[r["round"]]
            return first[key] if second is None else (first[key] + second[key]) / 2
        ratios = [r["rps"] / base_of(r, "rps") for r in runs if r["round"] in base]
        p99_deltas = [(r["p99_us"] - base_of(r, "p99_us")) / 1000 for r in runs if r["round"] in base]
        return {
            "rps": statistics.median(r["rps"] for r in runs),
            "p50": statistics.median(r["p50_us"] for r in runs) / 1000,
            "p99": statistics.median(r["p99_us"] for r in runs) / 1000,
            "cpu": sum(r["cpu_ticks"] for r in runs) / requests,
            "log": sum(r["log_bytes"] for r in runs) / requests,
            "non2xx": sum(r["non2xx"] for r in runs),
            "socket": sum(r["socket_errors"] for r in runs),
            "cpu_ratio": None,
            "per_round": [round(r["rps"]) for r in sorted(runs, key=lambda r: r["round"])],
            "ratio": statistics.median(ratios),
            "ratio_min": min(ratios),
            "ratio_max": max(ratios),
            "p99_delta": statistics.median(p99_deltas),
            "rounds": len(runs),
        }

    out = []
    w = out.append
    w("")
    w("Heron benchmark  %s - %s" % (facts.get("started_at", "?"), facts.get("finished_at", time.strftime("%Y-%m-%d %H:%M:%S %Z"))))
    w("machine: %s; %s" % (facts.get("machine"), facts.get("dotnet")))
    loads = [facts.get("load_start")] + [facts[k] for k in sorted((k for k in facts if k.startswith("load_round_")), key=lambda k: int(k.rsplit("_", 1)[1]))] + [facts.get("load_end")]
    w("load average (1/5/15 min) at start, each round, end: %s" % " | ".join(str(l) for l in loads))
    w("settings: %s" % facts.get("settings"))
    w("")
    w("%-2s %-46s %8s %7s %7s %8s %7s %7s %-27s %s" % ("", "case (instance A)", "req/s", "p50 ms", "p99 ms", "CPU us/r", "log B/r", "non2xx",
                                                      "req/s ratio to a (min-max)", "CPU ratio  p99-p99(a)"))
    table = {}
    for phase, label in (("main", ""), ("scale", "+keys")):
        for case in CASES:
            s = summary(phase, case)
            if s is None:
                continue
            table[(phase, case)] = s
            base_runs = [r for r in rows if r["phase"] == phase and r["case"] in ("a", "a2") and (case != "a2" or r["case"] == "a")]
            s["cpu_ratio"] = sum(r["cpu_ticks"] for r in base_runs) / sum(r["requests"] for r in base_runs) / s["cpu"]
            name = CASES[case] + ("  [%s]" % label if label else "")
            ratio = "-" if case == "a" else "%.2f (%.2f-%.2f)" % (s["ratio"], s["ratio_min"], s["ratio_max"])
            cpu = "-" if case == "a" else "%.2f  %+9.2f ms" % (s["cpu_ratio"], s["p99_delta"])
            w("%-2s %-46s %8.0f %7.2f %7.2f %8.1f %7.0f %7d %-27s %s" % (
                case + ("'" if label else ""), name, s["rps"], s["p50"], s["p99"], s["cpu"], s["log"], s["non2xx"] + s["socket"], ratio, cpu))
    w("(medians over %d rounds, [+keys]: %d rounds after the scale step. CPU us/r: server utime+stime per request wrk completed;"
      % (table[("main", "a")]["rounds"], table.get(("scale", "a"), {}).get("rounds", 0)))
    w(" ratios to a: each round's req/s over the mean of that round's a and a2 (over a alone for a2 itself and the [+keys] rounds);")
    w(" CPU ratio: CPU us/r of a (and a2) / of the case, the throughput ratio a CPU-bound server alone would reach; log B/r: bytes logged per request)")
    for phase in ("main", "scale"):
        w("req/s per round%s: %s" % (" [+keys]" if phase == "scale" else "", "; ".join(
            "%s %s" % (case, table[(phase, case)]["per_round"]) for case in CASES if (phase, case) in table)))

    rej = facts.get("rejections", {})
    sent = facts.get("wrk_401", {})
    sums = rej.get("count_sum", {})
    w("")
    w("rejection log: sum of Count in ApiKeyRejected events = %d, the request log's 401 lines = %d (%s)" % (
        rej.get("count_sum_total", -1), rej.get("request_log_401", -2),
        "equal" if rej.get("count_sum_total") == rej.get("request_log_401") else "DIFFERENT"))
    # The warm-up sends c and e at once from the same client: their refusals (both "unknown") fold into the same
    # events there, so the two cases are accounted for together.
    for cases, groups in (("c+e", ("unknown_fixed", "unknown_other")), ("d", ("malformed",))):
        w("  %s: Count sum %d in %d events; 401s wrk received %d (wrk does not count requests still in flight when it stops)" % (
            cases, sum(sums.get(g, 0) for g in groups), sum(rej.get("events", {}).get(g, 0) for g in groups),
            sum(sent.get(case, 0) for case in cases.split("+"))))
    w("  flood of one key: at most %d events in any second, over %d seconds" % (
        rej.get("max_events_per_second_fixed", 0), rej.get("seconds_fixed", 0)))

    rev = facts.get("revocation", {})
    w("")
    w("revocation (A changes the key, B shares the database; delay = A's response -> B's first changed answer):")
    w("  deactivate ms: %s" % rev.get("deactivate_ms"))
    w("  reactivate ms: %s" % rev.get("reactivate_ms"))
    w("  delete ms: %s   new key usable on B after creation on A: %s ms   timeouts: %s" % (
        rev.get("delete_ms"), rev.get("new_key_ms"), rev.get("timeouts")))
    w("  A: next request after the response answered as expected %s/%s times; 200s to requests sent after a deactivate/delete response: %s of %s" % (
        rev.get("a_next_request_ok"), rev.get("a_next_request_checks"), rev.get("a_violations"), rev.get("a_hammer_requests")))

    lb, la = facts.get("last_used_b", {}), facts.get("last_used_a", {})
    w("")
    w("last_used: B (periodic flush off): before SIGTERM %s, after %s; A: key used last at %s, LastUsedAt after SIGTERM %s" % (
        lb.get("before_sigterm"), lb.get("after_sigterm"), la.get("sent_at", "")[:23], la.get("after_sigterm")))

    create = facts.get("scale_create", {})
    ttfb = sorted(float(t[0]) * 1000 for t in facts.get("list_times", []))
    total = sorted(float(t[1]) * 1000 for t in facts.get("list_times", []))
    size = int(facts["list_times"][0][2]) if facts.get("list_times") else 0
    w("")
    w("scale: created %s keys in %s s (%s), used each once (%s); GET /api/credentials/keys lists %s keys, %d KB:" % (
        create.get("created"), create.get("seconds"), create.get("statuses"), create.get("used_statuses"),
        facts.get("list_keys_listed"), size // 1024))
    server = sorted(facts.get("list_server_ms", []))
    if ttfb:
        w("  server time (request log Elapsed) p50 %.0f ms, max %.0f ms; client: first byte p50 %.0f ms, complete p50 %.0f ms, max %.0f ms (%d tries)" % (
            statistics.median(server) if server else -1, max(server) if server else -1,
            statistics.median(ttfb), statistics.median(total), max(total), len(ttfb)))

    # Goals of issue 5
    def verdict(ok):
        return "MET" if ok else "NOT MET"
    a, b, c = table[("main", "a")], table[("main", "b")], table[("main", "c")]
    w("")
    w("goals (issue 5):")
    # A p99 of several milliseconds on loopback is the scheduler (other processes, wrk itself), not the code:
    # the 1 ms comparison only means something when both p99s are well below that.
    if max(a["p99"], b["p99"]) > 5:
        p99_verdict = "INCONCLUSIVE (p99s of %.1f and %.1f ms are scheduling noise)" % (a["p99"], b["p99"])
    else:
        p99_verdict = verdict(b["p99_delta"] <= 1.0)
    w("  authenticated >= 0.90x: %.2f (CPU ratio %.2f) -> %s; p99 within 1 ms of a: %+.2f ms -> %s" % (
        b["ratio"], b["cpu_ratio"], verdict(b["ratio"] >= 0.90), b["p99_delta"], p99_verdict))
    if ("main", "bs") in table:
        # Issue 12: scopes and an allowlist are checked from what the in-memory key set holds, no query.
        bs = table[("main", "bs")]
        w("  key with scopes and an allowlist >= 0.90x: %.2f (CPU ratio %.2f) -> %s" % (bs["ratio"], bs["cpu_ratio"], verdict(bs["ratio"] >= 0.90)))
    if ("main", "a2") in table:
        a2 = table[("main", "a2")]
        w("  (control: a measured again after b gives %.2f of a (%.2f-%.2f), CPU ratio %.2f: the noise every ratio here carries)" % (
            a2["ratio"], a2["ratio_min"], a2["ratio_max"], a2["cpu_ratio"]))
    counted = rej.get("count_sum_total") == rej.get("request_log_401")
    bounded = rej.get("max_events_per_second_fixed", 99) <= 11
    w("  rejected flood >= 0.90x: %.2f (CPU ratio %.2f) -> %s; every 401 counted in the log: %s; rejection events bounded (<= 11/s for one key): %s" % (
        c["ratio"], c["cpu_ratio"], verdict(c["ratio"] >= 0.90), verdict(counted), verdict(bounded)))
    if ("main", "d") in table:
        d = table[("main", "d")]
        w("  (variant d, a different malformed key on every request: %.2f, CPU ratio %.2f)" % (d["ratio"], d["cpu_ratio"]))
    if ("main", "e") in table:
        # Issue 13: every live key's hash is in memory, so an invented key with a valid checksum costs no query.
        e = table[("main", "e")]
        w("  a different invented key per request (e) >= 0.90x: %.2f (CPU ratio %.2f) -> %s" % (
            e["ratio"], e["cpu_ratio"], verdict(e["ratio"] >= 0.90)))
    revoked = (rev.get("timeouts") == 0 and rev.get("max_ms") is not None and rev["max_ms"] <= 250
               and (rev.get("new_key_ms") or 1e9) <= 250)
    immediate = rev.get("a_next_request_ok") == rev.get("a_next_request_checks") and rev.get("a_violations") == 0
    w("  revocation on A immediate: %s; on B within 250 ms (max %s ms): %s" % (
        verdict(immediate), rev.get("max_ms"), verdict(revoked)))
    def moment(text):
        if not text or text == "NULL":
            return None
        whole, _, fraction = text.partition(".")
        return time.mktime(time.strptime(whole, "%Y-%m-%d %H:%M:%S")) + float("0." + (fraction or "0"))
    used_a, sent_a = moment(la.get("after_sigterm")), moment(la.get("sent_at"))
    lu = (lb.get("before_sigterm") == "NULL" and moment(lb.get("after_sigterm")) is not None
          and used_a is not None and sent_a is not None and used_a >= sent_a)
    w("  last_used: no write per request, written on SIGTERM: %s" % verdict(lu))
    if ttfb and ("scale", "b") in table:
        sb = table[("scale", "b")]
        listed = server if server else ttfb
        w("  %s keys listed in < 200 ms on the server (p50 %.0f ms, max %.0f ms): %s" % (
            facts.get("list_keys_listed"), statistics.median(listed), max(listed), verdict(statistics.median(listed) < 200)))
        # The whole process costs more per request once 10,000 keys are cached (a' as well as b'), so b' is
        # compared with a' of the same phase, as b is with a.
        w("  verification with them cached: CPU ratio to a' %.2f (to a before: %.2f), req/s ratio %.2f (%.2f); CPU us/request a' %.1f b' %.1f (a %.1f b %.1f)" % (
            sb["cpu_ratio"], b["cpu_ratio"], sb["ratio"], b["ratio"], table[("scale", "a")]["cpu"], sb["cpu"], table[("main", "a")]["cpu"], b["cpu"]))
    shared = facts.get("shared_limit")
    if shared:
        total = sum(shared["served"])
        w("  one customer's limit across three instances with Redis: %d served of a limit of %d (per instance %s), %d throttled; at most the limit and at least 95%% of it: %s" % (
            total, shared["limit"], "/".join(str(s) for s in shared["served"]), sum(shared["throttled"]),
            verdict(0.95 * shared["limit"] <= total <= shared["limit"])))
    print("\n".join(out))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    flags = {a for a in args if a.startswith("--")}
    args = [a for a in args if not a.startswith("--")]
    if command == "token":
        print(token())
    elif command == "create-keys":
        create_keys(*args, use="--use" in flags)
    elif command == "revocation":
        revocation(*args)
    elif command == "rejections":
        rejections(*args)
    elif command == "shared-limit":
        shared_limit(*args)
    elif command == "wrkresult":
        wrkresult(*args)
    elif command == "fact":
        fact(*args)
    elif command == "report":
        report(*args)
    else:
        sys.exit(__doc__)
