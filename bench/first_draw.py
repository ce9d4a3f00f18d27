"""CPU time of the first draw of new quiz attempts, as a class starting together asks for it.

`python -m bench.first_draw` signs in trainees of one cohort (each from its own loopback
address, so the sign-in throttle does not hold them back), starts an attempt for each, then
draws each attempt page once, in process, and prints the CPU time per draw. CPU time rather
than the clock, so that a machine shared with other work still gives comparable figures.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench import seed
from bench.profile import _app


def first_draws(trainees: int) -> list[float]:
    """Return the CPU microseconds of each new attempt's first page, in the order drawn."""
    with tempfile.TemporaryDirectory(prefix="courseware-first-draw-") as tmp:
        database = Path(tmp) / "courseware.sqlite"
        seed.create_database(database)
        cohort = seed.seed_cohort(database, "First draw", trainees)
        app = _app(database)
        attempts = []
        for number, email in enumerate(cohort.trainee_emails):
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = f"127.0.{number // 30}.{number % 30 + 1}"
            signed_in = client.post("/en/sign-in", data={"email": email, "password": seed.PASSWORD})
            if signed_in.status_code != 302:
                raise RuntimeError(f"could not sign in {email}")
            attempts.append((client, client.post("/en/quiz/start").headers["Location"]))
        draws = []
        for client, address in attempts:
            start = time.process_time()
            page = client.get(address)
            draws.append((time.process_time() - start) * 1e6)
            if page.status_code != 200:
                raise RuntimeError(f"{address} answered {page.status_code}")
        return draws


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=120)
    args = parser.parse_args()
    draws = first_draws(args.trainees)
    print(f"first draw of {len(draws)} attempts: median {statistics.median(draws):.0f} µs of CPU, "
          f"first 10 {statistics.mean(draws[:10]):.0f} µs, last 10 {statistics.mean(draws[-10:]):.0f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
