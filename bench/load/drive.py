"""Open-loop load driver (asyncio + aiohttp, uvloop where installed): mixed traffic at fixed rates, step by step.

    .venv/bin/python bench/load/drive.py --base http://127.0.0.1:8000 --users var/bench/load-users.json \
        --rates 20,30,40,50 --duration 60 --out var/bench/run1

Mix (weights): sign-in (password + TOTP, 4 requests) 2, home 14, document list 14, document pages 24,
document search 10, exchange search 5, participants directory 5, API list 10, API item 12, API write 4.
Requests are started on a Poisson schedule at the target rate whatever the latency (open loop), so a slow
server shows up as latency, not as a lower offered rate. Every item response and every list body is sampled
into <out>/samples.jsonl for bench/load/access_check.py.
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import random
import re
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

import aiohttp

try:  # a faster event loop leaves more of the shared two cores to the server under test
    import uvloop
except ImportError:  # pragma: no cover - uvloop is Linux/macOS only
    uvloop = None

KEEPALIVE_SECONDS = 2.0
SEARCH_KINDS = {"search_documents", "search_exchange"}
UUID_IN_DOCUMENT_LINK = re.compile(r"/documents/([0-9a-f-]{36})/")
TOPICS = ["smuggling", "trafficking", "migration", "fraud", "border", "returns", "labour", "victim", "visa"]
MIX = {
    "signin": 2,
    "home": 14,
    "documents_list": 14,
    "document_page": 24,
    "search_documents": 10,
    "search_exchange": 5,
    "participants": 5,
    "api_list": 10,
    "api_item": 12,
    "api_write": 4,
}


def totp_now(secret: str, step: int = 30) -> str:
    """RFC 6238 code (SHA-1, 6 digits) for the current time."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, int(time.time() // step).to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(int.from_bytes(digest[offset : offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


# Only the requests that do not list documents: isolates the cost of the document visibility lists.
ITEMS_MIX = {"document_page": 40, "api_item": 25, "search_exchange": 10, "participants": 15, "api_write": 10}


CLIENT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError)
TIMEOUT = aiohttp.ClientTimeout(total=30)


class Answer:
    """What the driver keeps of a response: the whole body is read, as a browser would, before the clock stops."""

    def __init__(self, status: int, headers, body: bytes):
        self.status_code = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


async def fetch(client: aiohttp.ClientSession, method: str, url: str, **kwargs) -> Answer:
    async with client.request(method, url, allow_redirects=False, **kwargs) as response:
        return Answer(response.status, response.headers, await response.read())


class Session:
    def __init__(self, client: aiohttp.ClientSession, username: str):
        self.client = client
        self.username = username


class Driver:
    def __init__(self, base: str, data: dict, out: Path, rng: random.Random):
        self.base = base.rstrip("/")
        self.data = data
        self.out = out
        self.rng = rng
        self.sessions: list[Session] = []
        self.fresh_users = [u for u in data["users"]]
        rng.shuffle(self.fresh_users)
        self.tokens = data["tokens"]
        self.documents = data["documents"]
        self.results: list[tuple[float, str, int, float]] = []  # (start, kind, status, seconds)
        self.failures: Counter = Counter()  # client-side failures (599) by exception, reported per step
        self.samples = open(out / "samples.jsonl", "a")  # noqa: SIM115 - closed in close()
        self.api: aiohttp.ClientSession | None = None  # made in the running loop by open()

    async def open(self) -> None:
        # Idle connections are dropped by the client before the server's keep-alive (gunicorn: 5 s) ends them,
        # as browsers and nginx do; otherwise a request sent in the instant the server closes fails.
        connector = aiohttp.TCPConnector(limit=400, keepalive_timeout=KEEPALIVE_SECONDS)
        self.api = aiohttp.ClientSession(
            base_url=self.base, connector=connector, timeout=TIMEOUT, cookie_jar=aiohttp.DummyCookieJar()
        )

    async def close(self) -> None:
        self.samples.close()
        await asyncio.gather(self.api.close(), *(session.client.close() for session in self.sessions))

    def client_address(self) -> str:
        """Each simulated person comes from an address of their own, as through the reverse proxy in production
        (run the server with TRUSTED_PROXY_COUNT=1: rate limits and throttling then see these addresses)."""
        return f"10.{self.rng.randint(0, 255)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"

    def new_client(self) -> aiohttp.ClientSession:
        """A browser: its own cookies (unsafe=True: the server is an IP address) and up to 6 connections."""
        return aiohttp.ClientSession(
            base_url=self.base,
            connector=aiohttp.TCPConnector(limit=6, keepalive_timeout=KEEPALIVE_SECONDS),
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=TIMEOUT,
            headers={"X-Forwarded-For": self.client_address()},
        )

    def csrf(self, client: aiohttp.ClientSession) -> str:
        cookies = {cookie.key: cookie.value for cookie in client.cookie_jar}
        for name in ("portal-csrftoken", "csrftoken", "__Host-portal-csrftoken"):
            if name in cookies:
                return cookies[name]
        return ""

    async def sign_in(self, record: bool) -> Session | None:
        """Password then TOTP, like a person; returns the signed-in session.

        Each of the four requests is one result of its own (`signin_form`, `signin_password`, `signin_code`,
        `signin_home`): the page p95 is a percentile of requests, and a person waits for each page in turn.
        """
        username = self.fresh_users.pop()
        client = self.new_client()
        timings: list[tuple[float, str, int, float]] = []

        async def timed(kind: str, call) -> Answer:
            started = time.perf_counter()
            try:
                response = await call
            except CLIENT_ERRORS:
                timings.append((started, kind, 599, time.perf_counter() - started))
                raise
            timings.append((started, kind, response.status_code, time.perf_counter() - started))
            return response

        try:
            await timed("signin_form", fetch(client, "GET", "/accounts/login/"))
            response = await timed(
                "signin_password",
                fetch(
                    client,
                    "POST",
                    "/accounts/login/",
                    data={
                        "login": username,
                        "password": self.data["password"],
                        "csrfmiddlewaretoken": self.csrf(client),
                    },
                    headers={"Referer": self.base + "/accounts/login/"},
                ),
            )
            if response.status_code == 302 and "2fa" in response.headers.get("location", ""):
                await timed(
                    "signin_code",
                    fetch(
                        client,
                        "POST",
                        "/accounts/2fa/authenticate/",
                        data={"code": totp_now(self.data["totp_secret"]), "csrfmiddlewaretoken": self.csrf(client)},
                        headers={"Referer": self.base + "/accounts/2fa/authenticate/"},
                    ),
                )
            response = await timed("signin_home", fetch(client, "GET", "/"))
            ok = response.status_code == 200
        except CLIENT_ERRORS:
            ok = False
        if record:
            self.results.extend(timings)
            if not ok and all(status < 500 for _, _, status, _ in timings):
                self.results.append((timings[-1][0] if timings else time.perf_counter(), "signin_refused", 599, 0.0))
        if not ok:
            await client.close()
            return None
        session = Session(client, username)
        self.sessions.append(session)
        return session

    async def one(self, kind: str) -> None:
        if kind == "signin":
            await self.sign_in(record=True)
            return
        started = time.perf_counter()
        status, body, who = 599, "", ""
        try:
            if kind.startswith("api"):
                token = self.rng.choice(self.tokens)
                who = token["username"]
                headers = {
                    "Authorization": f"Bearer {token['token']}",
                    "X-Forwarded-For": token.setdefault("address", self.client_address()),
                }
                if kind == "api_list":
                    response = await fetch(self.api, "GET", "/api/v1/documents/", params={"limit": 20}, headers=headers)
                elif kind == "api_item":
                    uuid = self.rng.choice(self.documents)
                    response = await fetch(self.api, "GET", f"/api/v1/documents/{uuid}/", headers=headers)
                    self.sample("api_item", who, uuid, response.status_code)
                else:
                    form = aiohttp.FormData()
                    form.add_field("title", f"Load note {self.rng.randrange(10**9)}")  # deleted by --reset-writes
                    form.add_field("distribution", "members")
                    form.add_field("tlp", "green")
                    form.add_field(
                        "file",
                        b"A short note written by the load benchmark.\n",
                        filename="note.txt",
                        content_type="text/plain",
                    )
                    response = await fetch(self.api, "POST", "/api/v1/documents/", headers=headers, data=form)
                status, body = response.status_code, response.text if kind == "api_list" else ""
            else:
                session = self.rng.choice(self.sessions)
                who = session.username
                client = session.client
                if kind == "home":
                    response = await fetch(client, "GET", "/")
                elif kind == "documents_list":
                    response = await fetch(client, "GET", "/documents/", params={"page": self.rng.randint(1, 20)})
                elif kind == "document_page":
                    uuid = self.rng.choice(self.documents)
                    response = await fetch(client, "GET", f"/documents/{uuid}/")
                    self.sample("document_page", who, uuid, response.status_code)
                elif kind == "search_documents":
                    response = await fetch(client, "GET", "/documents/", params={"q": self.rng.choice(TOPICS)})
                elif kind == "search_exchange":
                    response = await fetch(client, "GET", "/exchange/search/", params={"q": self.rng.choice(TOPICS)})
                else:
                    response = await fetch(client, "GET", "/participants/")
                status = response.status_code
                body = response.text if kind in ("documents_list", "search_documents") else ""
        except CLIENT_ERRORS as error:
            status = 599
            self.failures[type(error).__name__] += 1
        elapsed = time.perf_counter() - started
        self.results.append((started, kind, status, elapsed))
        if body and status == 200:
            if kind == "api_list":
                try:
                    uuids = [row.get("uuid") for row in json.loads(body).get("results", [])]
                except (ValueError, AttributeError):
                    uuids = []
            else:
                uuids = sorted(set(UUID_IN_DOCUMENT_LINK.findall(body)))
            self.samples.write(json.dumps({"kind": f"{kind}_body", "user": who, "uuids": uuids}) + "\n")

    def sample(self, kind: str, user: str, uuid: str, status: int) -> None:
        self.samples.write(json.dumps({"kind": kind, "user": user, "uuid": uuid, "status": status}) + "\n")

    async def step(self, rate: float, duration: float, mix: dict) -> dict:
        kinds, weights = zip(*mix.items(), strict=True)
        tasks = set()
        first = len(self.results)
        began = time.perf_counter()
        next_at = began
        while next_at - began < duration:
            now = time.perf_counter()
            if next_at > now:
                await asyncio.sleep(next_at - now)
            kind = self.rng.choices(kinds, weights=weights)[0]
            task = asyncio.create_task(self.one(kind))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            next_at += self.rng.expovariate(rate)
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - began
        with (self.out / f"requests-{rate:g}.csv").open("w") as timeline:
            timeline.write("offset_s,kind,status,ms\n")
            for started, kind, status, seconds in self.results[first:]:
                timeline.write(f"{started - began:.3f},{kind},{status},{1000 * seconds:.1f}\n")
        summary = summarise(self.results[first:], rate, wall)
        summary["client_failures"] = dict(self.failures)
        self.failures.clear()
        return summary


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarise(results, rate: float, wall: float) -> dict:
    by_kind = defaultdict(list)
    errors = defaultdict(int)
    for _, kind, status, seconds in results:
        by_kind[kind].append(seconds)
        if status >= 500:
            errors[kind] += 1
    pages = [s for k, values in by_kind.items() if k not in SEARCH_KINDS for s in values]
    search = [s for k in SEARCH_KINDS for s in by_kind.get(k, [])]
    total = len(results)
    error_count = sum(errors.values())
    summary = {
        "target_rate": rate,
        "achieved_rate": round(total / wall, 1),
        "requests": total,
        "server_errors": error_count,
        "error_pct": round(100 * error_count / total, 3) if total else 0.0,
        "p95_pages_ms": round(1000 * percentile(pages, 0.95)),
        "p99_pages_ms": round(1000 * percentile(pages, 0.99)),
        "p95_search_ms": round(1000 * percentile(search, 0.95)),
        "median_ms": round(1000 * statistics.median([s for _, _, _, s in results])) if results else 0,
        "by_kind": {
            kind: {
                "n": len(values),
                "p50_ms": round(1000 * percentile(values, 0.5)),
                "p95_ms": round(1000 * percentile(values, 0.95)),
                "5xx": errors.get(kind, 0),
            }
            for kind, values in sorted(by_kind.items())
        },
    }
    summary["passed"] = (
        summary["p95_pages_ms"] <= 500 and summary["p95_search_ms"] <= 1000 and summary["error_pct"] < 0.1
    )
    return summary


async def main_async(args) -> None:
    data = json.loads(Path(args.users).read_text())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    driver = Driver(args.base, data, out, random.Random(args.seed))
    await driver.open()
    started = time.perf_counter()
    signed_in = await asyncio.gather(*(driver.sign_in(record=False) for _ in range(args.sessions)))
    print(
        f"{sum(1 for s in signed_in if s)} of {args.sessions} sessions signed in "
        f"({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    if not driver.sessions:
        raise SystemExit("No session could sign in: check the server, the users file and the TOTP secret.")
    report = []
    for rate in [float(r) for r in args.rates.split(",")]:
        summary = await driver.step(rate, args.duration, ITEMS_MIX if args.mix == "items" else MIX)
        report.append(summary)
        print(json.dumps({k: v for k, v in summary.items() if k != "by_kind"}), flush=True)
        (out / "report.json").write_text(json.dumps(report, indent=1))
        if not summary["passed"] and args.stop_on_fail:
            break
    await driver.close()
    passed = [s for s in report if s["passed"]]
    best = max(passed, key=lambda s: s["achieved_rate"]) if passed else None
    print("highest rate sustained within targets:", best["achieved_rate"] if best else "none", "req/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--users", required=True, help="load-users.json written by scale_up.py")
    parser.add_argument("--rates", default="20,30,40,50,60", help="requests per second, one step each")
    parser.add_argument("--duration", type=float, default=300, help="seconds per step")
    parser.add_argument("--sessions", type=int, default=60, help="signed-in browser sessions to spread pages over")
    parser.add_argument("--out", default="var/bench/run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stop-on-fail", action="store_true")
    parser.add_argument("--mix", choices=["full", "items"], default="full", help="'items' leaves out list pages")
    arguments = parser.parse_args()
    if uvloop is not None:
        uvloop.run(main_async(arguments))
    else:
        asyncio.run(main_async(arguments))


if __name__ == "__main__":
    main()
