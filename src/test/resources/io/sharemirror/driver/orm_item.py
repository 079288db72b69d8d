"""The benchmark's item table as an SQLAlchemy model, and an engine on a replica: with SQLAlchemy's defaults, or
beginning every transaction with BEGIN IMMEDIATE as README recommends."""
from sqlalchemy import Column, Integer, Text, create_engine, event
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Item(Base):
    __tablename__ = "item"
    id = Column(Integer, primary_key=True)
    code = Column(Text)
    qty = Column(Integer)
    note = Column(Text)


def engine(path, immediate, timeout=30):
    made = create_engine("sqlite:///" + path, connect_args={"timeout": timeout})
    if immediate:
        @event.listens_for(made, "connect")
        def no_implicit_begin(dbapi_connection, record):
            dbapi_connection.isolation_level = None  # sqlite3's own BEGIN would come too late, at the first write

        @event.listens_for(made, "begin")
        def begin_immediate(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    return made
