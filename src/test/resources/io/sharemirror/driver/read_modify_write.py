"""Read-modify-write transactions on a ShareMirror replica, the way a Python program would make them.

Usage: read_modify_write.py DB MODE SECONDS THREADS FIRST_KEY LAST_KEY THINK_MS

Each thread, until SECONDS have passed, picks a row of item with id in [FIRST_KEY, LAST_KEY], reads its qty, waits
THINK_MS (the program's own work), writes qty + 1 and commits. MODE is how the transaction is made:

  legacy                Python's sqlite3 default (3.11: isolation_level ""): BEGIN comes implicitly before the UPDATE
  legacy-loop           the same, updating a row while iterating the SELECT that found it
  deferred              isolation_level=None and an explicit BEGIN (DEFERRED)
  immediate             isolation_level=None and an explicit BEGIN IMMEDIATE
  sqlalchemy            an SQLAlchemy ORM session, default settings
  sqlalchemy-immediate  an SQLAlchemy ORM session on an engine that begins with BEGIN IMMEDIATE (see README)

Prints "transactions N", one "error COUNT MESSAGE" line per kind of error the program saw (each transaction that
failed was rolled back), and "latency_us" with the time of every committed transaction, in microseconds.
"""
import random
import sqlite3
import sys
import threading
import time

DB, MODE, SECONDS, THREADS, FIRST, LAST, THINK_MS = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), \
    int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
TIMEOUT = 30  # seconds; what ShareMirror's connection_timeout is by default

lock = threading.Lock()
committed = 0
errors = {}
latencies = []


def connect(isolation_level=""):
    return sqlite3.connect(DB, timeout=TIMEOUT, isolation_level=isolation_level, check_same_thread=False)


def think():
    time.sleep(THINK_MS / 1000)


def legacy(db, key):
    qty = db.execute("SELECT qty FROM item WHERE id = ?", (key,)).fetchone()[0]
    think()
    db.execute("UPDATE item SET qty = ? WHERE id = ?", (qty + 1, key))
    db.commit()


def legacy_loop(db, key):
    # the row after it is read too, so the SELECT is still running while its first row is updated
    for row_id, qty in db.execute("SELECT id, qty FROM item WHERE id IN (?, ?) ORDER BY id", (key, key + 1)):
        if row_id == key:
            think()
            db.execute("UPDATE item SET qty = ? WHERE id = ?", (qty + 1, row_id))
    db.commit()


def explicit(begin):
    def transaction(db, key):
        db.execute(begin)
        try:
            qty = db.execute("SELECT qty FROM item WHERE id = ?", (key,)).fetchone()[0]
            think()
            db.execute("UPDATE item SET qty = ? WHERE id = ?", (qty + 1, key))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    return transaction


def orm(immediate):
    from sqlalchemy.orm import Session

    from orm_item import Item, engine

    made = engine(DB, immediate, TIMEOUT)

    def transaction(_db, key):
        with Session(made) as session:
            item = session.get(Item, key)
            think()
            item.qty = item.qty + 1
            session.commit()
    return transaction


MODES = {"legacy": (lambda: connect(), legacy), "legacy-loop": (lambda: connect(), legacy_loop),
         "deferred": (lambda: connect(None), explicit("BEGIN")),
         "immediate": (lambda: connect(None), explicit("BEGIN IMMEDIATE")),
         "sqlalchemy": (lambda: None, orm(False)) if MODE == "sqlalchemy" else None,
         "sqlalchemy-immediate": (lambda: None, orm(True)) if MODE == "sqlalchemy-immediate" else None}


def worker(seed, deadline):
    global committed
    make, transaction = MODES[MODE]
    db = make()
    rnd = random.Random(seed)
    while time.monotonic() < deadline:
        key = rnd.randint(FIRST, LAST)
        started = time.perf_counter()
        try:
            transaction(db, key)
        except Exception as e:  # sqlite3.OperationalError, sqlalchemy.exc.OperationalError
            if db is not None and db.in_transaction:
                db.rollback()
            message = str(e).splitlines()[0][:160]
            with lock:
                errors[message] = errors.get(message, 0) + 1
            continue
        elapsed = time.perf_counter() - started
        with lock:
            committed += 1
            latencies.append(int(elapsed * 1e6))
    if db is not None:
        db.close()


def main():
    deadline = time.monotonic() + SECONDS
    threads = [threading.Thread(target=worker, args=(i, deadline)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("transactions", committed)
    for message, count in sorted(errors.items()):
        print("error", count, message)
    print("latency_us", *latencies)


main()
