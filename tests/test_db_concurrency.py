"""The database under concurrent workers: forks, failed writes and killed workers."""

from __future__ import annotations

import pytest


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


def test_a_write_that_fails_half_way_leaves_nothing_behind(app):
    from courseware.db import write

    with app.app_context():
        with pytest.raises(ZeroDivisionError), write() as db:
            db.execute("UPDATE cohorts SET name = 'half done'")
            1 / 0  # noqa: B018  (a view failing half way through its write)
        with write() as db:  # and the next write goes through
            db.execute("UPDATE cohorts SET name = name || ' (renamed)'")
        assert db.execute("SELECT count(*) FROM cohorts WHERE name LIKE 'half done%'").fetchone() == (0,)


def test_a_worker_killed_in_the_middle_of_a_write_holds_nobody_up(app):
    import os
    import signal

    from courseware.db import get_db, write

    read, ready = os.pipe()
    child = os.fork()
    if child == 0:  # a gunicorn worker, killed (kill -9) while it holds the write lock
        os.close(read)
        with app.app_context(), write() as db:
            db.execute("UPDATE cohorts SET name = 'half done'")
            os.write(ready, b"writing")
            os.kill(os.getpid(), signal.SIGKILL)
    os.close(ready)
    assert os.read(read, 16) == b"writing"
    os.waitpid(child, 0)
    with app.app_context():
        with write() as db:
            db.execute("UPDATE cohorts SET name = name || ' (renamed)'")
        assert get_db().execute(
            "SELECT count(*) FROM cohorts WHERE name LIKE 'half done%'").fetchone() == (0,)
