"""An SQLAlchemy ORM session that holds a row while the agent syncs, then changes it and commits.

Usage: orm_session_across_sync.py DB MODE KEY, MODE "default" (SQLAlchemy's settings) or "immediate" (an engine that
begins its transactions with BEGIN IMMEDIATE, as README recommends). Loads item KEY and prints "loaded QTY", waits for a
line on stdin (the test syncs meanwhile), sets qty to QTY + 1, commits and prints "committed", or "error MESSAGE".
"""
import sys

from sqlalchemy import Column, Integer, Text, create_engine, event
from sqlalchemy.orm import Session, declarative_base

DB, MODE, KEY = sys.argv[1], sys.argv[2], int(sys.argv[3])
Base = declarative_base()


class Item(Base):
    __tablename__ = "item"
    id = Column(Integer, primary_key=True)
    code = Column(Text)
    qty = Column(Integer)
    note = Column(Text)


engine = create_engine("sqlite:///" + DB, connect_args={"timeout": 30})
if MODE == "immediate":
    @event.listens_for(engine, "connect")
    def no_implicit_begin(dbapi_connection, record):
        dbapi_connection.isolation_level = None  # pysqlite's own BEGIN comes too late: SQLAlchemy begins

    @event.listens_for(engine, "begin")
    def begin_immediate(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

with Session(engine) as session:
    item = session.get(Item, KEY)
    print("loaded", item.qty, flush=True)
    sys.stdin.readline()
    item.qty = item.qty + 1
    try:
        session.commit()
        print("committed", flush=True)
    except Exception as e:
        print("error", str(e).splitlines()[0], flush=True)
