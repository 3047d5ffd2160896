#!/usr/bin/env python3
"""Runs the commands of the ```bash blocks in README.md and docs/*.md that can run offline, so the docs stay true.

Each command is classified: run as written (./m2m100 commands on the test fixture, pipelines), run against a
server of the README started here (curl commands, with port 9527 replaced by a free port), run in its offline
form (`kubectl apply -k DIR` renders DIR with `kubectl kustomize`), or skipped with the reason (needs Docker, a
cluster, the Hugging Face hub; ./run-tests, which CI runs anyway). A command that fits no rule fails the check:
new documented commands must be classified here. Exit status 0 when every runnable command succeeded.
Usage: .ci/doc-commands.py   (from any folder; the repository is this file's grandparent)
"""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
SERVER = "./m2m100 serve --model testdata/m2m100-tiny"  # the README's first command

SKIP = [
    (r"^\./run-tests\b", "CI runs it (.ci/run, step 3)"),
    (r"^docker ", "needs a Docker engine"),
    (r"^helm ", "needs a cluster"),
    (r"^kubectl (create|rollout|logs|port-forward|get|patch|scale)\b", "needs a cluster"),
    (r"^\./m2m100 download ", "needs the Hugging Face hub"),
    (r"^\./m2m100 serve --model models/", "needs the model downloaded by the command before it"),
]


def commands(text):
    """Shell commands of the ```bash blocks: continuation lines joined, comments and blank lines dropped."""
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        block = re.sub(r"^  ", "", block, flags=re.M) if all(
            not l or l.startswith("  ") for l in block.splitlines()) else block
        pending = ""
        for raw in block.splitlines():
            line = raw.rstrip()
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            line = pending + line
            if open_quote(line):  # a quoted string that goes on on the next line
                pending = line + "\n"
                continue
            pending = ""
            line = strip_comment(line.strip())
            if not line:
                continue
            yield line


def open_quote(line):
    """True when the line ends inside a quoted string."""
    quote = None
    for c in line:
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
    return quote is not None


def strip_comment(line):
    """The line without a trailing # comment outside quotes, as the shell reads it."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port):
    proc = subprocess.Popen(SERVER.split() + ["--port", str(port), "--host", "127.0.0.1"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("doc-commands: '%s' exited with %d: %s" % (SERVER, proc.returncode, proc.stderr.read()))
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/ready" % port, timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            pass
        time.sleep(1)
    proc.terminate()
    raise SystemExit("doc-commands: '%s' did not become ready in 300 s" % SERVER)


def run(command, env):
    r = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=600, stdin=subprocess.DEVNULL)
    return r.returncode, r.stdout, r.stderr


def main():
    port = free_port()
    server = None
    failures, ran, skipped = [], [], []
    env = dict(os.environ)
    try:
        for doc in DOCS:
            for cmd in commands(doc.read_text(encoding="utf-8")):
                where = "%s: %s" % (doc.relative_to(ROOT), cmd)
                reason = next((why for pattern, why in SKIP if re.search(pattern, cmd)), None)
                if reason:
                    skipped.append("%s  [%s]" % (where, reason))
                    continue
                if cmd.startswith(SERVER):
                    if server is None:
                        server = start_server(port)
                    ran.append(where + "  [started on port %d, ready]" % port)
                    continue
                m = re.match(r"^kubectl apply -k (\S+)$", cmd)
                if m:
                    cmd = "kubectl kustomize " + m.group(1) + " >/dev/null"
                elif cmd.startswith("kubectl kustomize "):
                    cmd += " >/dev/null"
                elif "localhost:9527" in cmd:
                    if server is None:
                        server = start_server(port)
                    cmd = cmd.replace("localhost:9527", "127.0.0.1:%d" % port)
                elif not re.match(r"^(echo .*\| *)?\./m2m100 ", cmd):
                    failures.append(where + "  [not classified: add a rule to .ci/doc-commands.py]")
                    continue
                code, out, err = run(cmd, env)
                if code != 0:
                    failures.append("%s  [exit %d]\n%s" % (where, code, (err or out)[-2000:]))
                elif "/translation" in cmd and '"result"' not in out:
                    failures.append("%s  [no result in the answer]\n%s" % (where, out[-2000:]))
                else:
                    ran.append(where)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(90)
            except subprocess.TimeoutExpired:
                server.kill()
    for line in ran:
        print("ran:     " + line)
    for line in skipped:
        print("skipped: " + line)
    for line in failures:
        print("FAILED:  " + line, file=sys.stderr)
    print("doc-commands: %d ran, %d skipped, %d failed" % (len(ran), len(skipped), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
