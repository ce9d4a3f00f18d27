"""Whatever a visitor types into the public forms, the answer is a page, never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import post_form

typed = st.text(max_size=300)


@pytest.mark.parametrize("lang", ["en", "zh"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=typed, name=typed, email=typed, password=typed)
def test_join_form_never_fails_on_any_text(client, lang, code, name, email, password):
    response = post_form(client, f"/{lang}/join", {
        "join_code": code, "name": name, "email": email, "password": password,
        "confirm": password})
    assert response.status_code in (200, 302)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=typed, password=typed)
def test_sign_in_form_never_fails_on_any_text(client, email, password):
    response = post_form(client, "/zh/sign-in", {"email": email, "password": password})
    assert response.status_code in (200, 302, 429)


def test_an_oversized_request_gets_a_413_page(client):
    response = post_form(client, "/en/join", {"name": "x" * 300_000})
    assert response.status_code == 413


def test_a_session_ends_after_the_idle_time(app, client, monkeypatch):
    from tests.conftest import TRAINEE, sign_in

    sign_in(client, TRAINEE)
    assert client.get("/en/module/").status_code == 200
    idle = app.permanent_session_lifetime.total_seconds()
    import itsdangerous.timed

    real_now = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_now() + idle + 60)
    assert client.get("/en/module/").status_code == 302


def test_a_forked_worker_opens_its_own_database_connection(app):
    import os

    from courseware.db import get_db

    with app.app_context():
        parents = get_db()
        parents.execute("SELECT 1").fetchone()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # as gunicorn forks a worker from a master that had used the database
        os.close(read)
        try:
            with app.app_context():
                own = get_db()
                ok = own is not parents and own.execute("SELECT count(*) FROM users").fetchone()
            os.write(write, b"ok" if ok else b"shared")
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 16)
    os.waitpid(child, 0)
    assert answer == b"ok"
    with app.app_context():  # the parent's own connection still works
        assert get_db() is parents and parents.execute("SELECT 1").fetchone() == (1,)


def _writers_queue_is_free(app) -> bool:
    import fcntl
    import os

    from courseware.db import writers_lock_path

    handle = os.open(writers_lock_path(app.config["DATABASE"]), os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(handle)  # also lets go of the lock if we got it
    return True


def test_a_write_holds_the_writers_queue_until_it_ends(app):
    from courseware.db import write

    with app.app_context():
        with write() as db:  # another worker's write would wait for the kernel to wake it
            db.execute("UPDATE cohorts SET name = name")
            assert not _writers_queue_is_free(app)
        assert _writers_queue_is_free(app)
        with pytest.raises(ZeroDivisionError), write() as db:
            db.execute("UPDATE cohorts SET name = 'half done'")
            1 / 0  # noqa: B018  (a view failing half way through its write)
        assert _writers_queue_is_free(app)
        assert db.execute("SELECT count(*) FROM cohorts WHERE name = 'half done'").fetchone() == (0,)


def test_a_worker_killed_in_the_middle_of_a_write_holds_nobody_up(app):
    import os
    import signal

    from courseware.db import get_db, write

    read, ready = os.pipe()
    child = os.fork()
    if child == 0:  # a gunicorn worker, killed (kill -9) while it holds both locks
        os.close(read)
        with app.app_context(), write() as db:
            db.execute("UPDATE cohorts SET name = 'half done'")
            os.write(ready, b"writing")
            os.kill(os.getpid(), signal.SIGKILL)
    os.close(ready)
    assert os.read(read, 16) == b"writing"
    os.waitpid(child, 0)
    assert _writers_queue_is_free(app)
    with app.app_context():
        with write() as db:
            db.execute("UPDATE cohorts SET name = name || ' (renamed)'")
        assert get_db().execute(
            "SELECT count(*) FROM cohorts WHERE name LIKE 'half done%'").fetchone() == (0,)


def test_threads_that_served_requests_leave_no_lock_files_open(app):
    # The development server starts a thread for every request; each opens the writers' lock
    # file with its connection, and it must close when the thread ends. (SQLite itself may
    # keep a closed connection's database file open for reuse while others hold locks.)
    import gc
    import os
    import threading

    from courseware.db import write, writers_lock_path

    lock_file = writers_lock_path(app.config["DATABASE"])

    def serve_one_request() -> None:
        with app.app_context(), write() as db:
            db.execute("UPDATE cohorts SET name = name")

    def lock_files_open() -> int:
        gc.collect()
        names = []
        for handle in os.listdir("/proc/self/fd"):
            try:
                names.append(os.readlink(f"/proc/self/fd/{handle}"))
            except OSError:  # the listing's own handle, closed by now
                continue
        return names.count(lock_file)

    serve_one_request()  # this thread's own, kept with its connection
    assert lock_files_open() == 1
    for _ in range(20):
        thread = threading.Thread(target=serve_one_request)
        thread.start()
        thread.join()
    assert lock_files_open() == 1
