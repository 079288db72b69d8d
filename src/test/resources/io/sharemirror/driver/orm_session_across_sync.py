"""An SQLAlchemy ORM session that holds a row while the agent syncs, then changes it and commits.

Usage: orm_session_across_sync.py DB MODE KEY, MODE "default" (SQLAlchemy's settings) or "immediate" (an engine that
begins its transactions with BEGIN IMMEDIATE, as README recommends). Loads item KEY and prints "loaded QTY", waits for a
line on stdin (the test syncs meanwhile), sets qty to QTY + 1, commits and prints "committed", or "error MESSAGE".
"""
import sys

from sqlalchemy.orm import Session

from orm_item import Item, engine

DB, MODE, KEY = sys.argv[1], sys.argv[2], int(sys.argv[3])

with Session(engine(DB, MODE == "immediate")) as session:
    item = session.get(Item, KEY)
    print("loaded", item.qty, flush=True)
    sys.stdin.readline()
    item.qty = item.qty + 1
    try:
        session.commit()
        print("committed", flush=True)
    except Exception as e:
        print("error", str(e).splitlines()[0], flush=True)
