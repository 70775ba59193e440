"""Locust: one simulated phone signs in, opens lessons and syncs batches of answers.

Run by bench/load_test.py (which seeds the learners, starts gunicorn and checks the database
afterwards); its settings come from the environment: HUE_LOAD_PHONES (file, one phone number
a line), HUE_LOAD_PIN, HUE_LOAD_LESSONS (lesson, version, step; comma-separated triples
joined by ";"), HUE_LOAD_SENT (file each batch's event ids and answer are written to),
HUE_LOAD_TIMES (file each request's start, milliseconds and route are written to) and
HUE_LOAD_MAX_REQUESTS (Locust stops after that many requests, whatever the time).
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from datetime import UTC, datetime

import gevent
from locust import FastHttpUser, between, events, task

PHONES = open(os.environ["HUE_LOAD_PHONES"]).read().split()  # noqa: SIM115
PIN = os.environ["HUE_LOAD_PIN"]
LESSONS = [tuple(item.split(",")) for item in os.environ["HUE_LOAD_LESSONS"].split(";")]
MAX_REQUESTS = int(os.environ["HUE_LOAD_MAX_REQUESTS"])
EVENTS_PER_BATCH = 20
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

_numbers = itertools.count()
_sent = open(os.environ["HUE_LOAD_SENT"], "a", encoding="utf-8")  # noqa: SIM115
_times = open(os.environ["HUE_LOAD_TIMES"], "a", encoding="utf-8")  # noqa: SIM115
_requests = itertools.count(1)


@events.request.add_listener
def _stop_at_the_request_limit(name: str = "", response_time: float = 0,
                               start_time: float = 0, **_kwargs) -> None:
    _times.write(f"{start_time:.3f} {response_time:.1f} {name}\n")
    if next(_requests) == MAX_REQUESTS and _environment and _environment.runner:
        gevent.spawn(_environment.runner.quit)  # not from inside the phone's own greenlet


_environment = None


@events.init.add_listener
def _keep_environment(environment, **_kwargs) -> None:
    global _environment  # noqa: PLW0603 - Locust hands the environment to an event
    _environment = environment


def _record(line: dict) -> None:
    """One line of what was sent or answered, on disk at once (read when Locust has ended)."""
    _sent.write(json.dumps(line) + "\n")
    _sent.flush()


class Phone(FastHttpUser):
    """A learner's phone: sign in once, then lessons and syncs, a few seconds apart.

    FastHttpUser (geventhttpclient) rather than HttpUser (requests): Locust shares the
    server's two cores here, and requests' client spent about a third of a core on 100
    requests a second that the server could not use."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.phone = PHONES[next(_numbers) % len(PHONES)]
        self.last_batch: bytes | None = None
        self.unanswered: bytes | None = None
        self.signed_in = False
        self._sign_in()

    def _sign_in(self) -> None:
        """The sign-in page, the phone number and PIN, then home (again after a failure)."""
        page = self.client.get("/sign-in", name="GET /sign-in")
        found = CSRF.search(page.text or "")
        if not found:
            return
        with self.client.post("/sign-in", data={"phone": self.phone, "pin": PIN,
                                                "csrf_token": found.group(1)},
                              name="POST /sign-in", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")
                return
        self.signed_in = True
        self.client.get("/", name="GET / (home)")

    @task(3)
    def open_lesson(self) -> None:
        lesson, _version, _step = random.choice(LESSONS)  # noqa: S311 - not a secret
        self.client.get(f"/learn/vi/{lesson}", name="GET /learn/vi/[lesson]")

    @task(1)
    def open_catalogue(self) -> None:
        self.client.get("/learn/vi/", name="GET /learn/vi/")

    @task(2)
    def sync_batch(self) -> None:
        """A new batch, or one time in five the last one again (its answer was lost); a batch
        that got no answer is sent again next time, as the phone's queue does."""
        if not self.signed_in:  # what a phone does after a failed sign-in: try again
            self._sign_in()
            return
        unanswered = self.unanswered is not None
        again = unanswered or (self.last_batch is not None and random.random() < 0.2)  # noqa: S311
        body = self.unanswered or (self.last_batch if again else self._new_batch())
        ids = [event["id"] for event in json.loads(body)["events"]]
        _record({"ids": ids, "sending": True})  # the run may stop before the answer comes
        with self.client.post("/api/v1/events", data=body, name="POST /api/v1/events",
                              headers={"Content-Type": "application/json"},
                              catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"sync answered {response.status_code}")
                self.unanswered = body
                return
            answer = response.json()
        # A batch sent again after no answer may have been stored the first time or not.
        _record({"ids": ids, "answered": True, "again": again, "after_no_answer": unanswered,
                 "stored": answer["stored"], "duplicates": answer["duplicates"],
                 "refused": answer["refused"]})
        self.last_batch, self.unanswered = body, None

    def _new_batch(self) -> bytes:
        lesson, version, step = random.choice(LESSONS)  # noqa: S311
        now = datetime.now(UTC).isoformat()
        return json.dumps({"events": [
            {"id": str(uuid.uuid4()), "type": "step_answered", "lesson_id": lesson,
             "lesson_version": int(version), "step_id": step, "correct": index % 3 != 0,
             "hint_used": False, "answer": {"choice": "a"}, "occurred_at": now}
            for index in range(EVENTS_PER_BATCH)
        ]}).encode()
