#!/usr/bin/env python3
"""Issue 16's scenario against a running server: LONG requests of RECORDS records each (maxLength 200),
then, DELAY seconds later, SHORT one-record requests (maxLength 8). Prints each request's wall time and the
ratio the issue asks about (slowest short / fastest long). Usage:
  scripts/fair-admission-scenario.py [--url http://127.0.0.1:9527] [--long 3] [--records 64] [--short 5]"""
import argparse, json, threading, time, urllib.request

def post(url, body, out, key):
    t0 = time.monotonic()
    req = urllib.request.Request(url + "/translation", json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            status = r.status
            r.read()
    except urllib.error.HTTPError as e:
        status = e.code
    out[key] = (status, time.monotonic() - t0)

def payload(n, max_length, tag):
    return {"payload": {"fromLang": "en", "toLang": "fr", "options": {"maxLength": max_length},
            "records": [{"id": f"{tag}{i}", "text": f"Sentence number {i} of request {tag} is here."} for i in range(n)]}}

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", default="http://127.0.0.1:9527")
    p.add_argument("--long", type=int, default=3)
    p.add_argument("--records", type=int, default=64)
    p.add_argument("--short", type=int, default=5)
    p.add_argument("--delay", type=float, default=0.3)
    a = p.parse_args()
    out, threads = {}, []
    start = time.monotonic()
    for i in range(a.long):
        t = threading.Thread(target=post, args=(a.url, payload(a.records, 200, f"L{i}-"), out, f"long{i}"))
        t.start(); threads.append(t)
    time.sleep(a.delay)
    for i in range(a.short):
        t = threading.Thread(target=post, args=(a.url, payload(1, 8, f"S{i}-"), out, f"short{i}"))
        t.start(); threads.append(t)
    for t in threads:
        t.join()
    longs = [v[1] for k, v in out.items() if k.startswith("long")]
    shorts = [v[1] for k, v in out.items() if k.startswith("short")]
    statuses = sorted({v[0] for v in out.values()})
    print(json.dumps({"statuses": statuses, "long_s": sorted(round(x, 2) for x in longs),
                      "short_s": sorted(round(x, 2) for x in shorts),
                      "slowest_short_over_fastest_long": round(max(shorts) / min(longs), 3),
                      "total_s": round(time.monotonic() - start, 2)}))

if __name__ == "__main__":
    main()
