#!/usr/bin/env python3
"""SQLAlchemy 2.0's ORM on the comparison suite's shapes (see docs/performance.md).

    pip install sqlalchemy psycopg2-binary pymysql
    python3 crates/bench/sqlalchemy/bench.py [--backends sqlite,postgres,mysql] [--rounds 30]
                                             [--json target/sqlalchemy-bench.json]

Runs on SQLite (a file in /dev/shm or the temporary folder), and on the
servers of QUARRY_TEST_POSTGRES_URL / QUARRY_TEST_MYSQL_URL when set, in a
database of its own (quarry_bench_sqlalchemy) created next to the URL's and
dropped after. Prints the median of each shape and writes them as JSON,
which `cargo run -p quarry-bench --release -- --write` reads (when the file
is at its default place, or given with --sqlalchemy) to add a column of
ratios to diesel's medians of its own run. These figures are measured in
another process, not interleaved with the Rust contenders.

Each call runs in a fresh Session (so the identity map never serves a load
from memory), as a web request would; the same settings as the Rust side
apply on SQLite (foreign keys on, WAL, synchronous NORMAL).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

from sqlalchemy import ForeignKey, String, Text, create_engine, event, insert, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, selectinload
import sqlalchemy

POSTS_PER_USER = 10
COMMENTS_PER_POST = 10
DATABASE = "quarry_bench_sqlalchemy"


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    hair_color: Mapped[str | None] = mapped_column(Text)
    posts: Mapped[list["Post"]] = relationship(back_populates="user")


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    user: Mapped[User] = relationship(back_populates="posts")
    comments: Mapped[list["Comment"]] = relationship(back_populates="post")


class Comment(Base):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))
    text: Mapped[str] = mapped_column(Text)
    post: Mapped[Post] = relationship(back_populates="comments")


def users(n, hair):
    return [{"name": f"User {i}", "hair_color": hair(i)} for i in range(n)]


def black_or_brown(i):
    return "black" if i % 2 == 0 else "brown"


def trees(n):
    """n users with 10 posts each (every other one with a body) with 10 comments each, as ORM objects."""
    out = []
    for u, row in enumerate(users(n, black_or_brown)):
        user = User(**row)
        for p in range(POSTS_PER_USER):
            post = Post(title=f"Post {p} by user {u}", body=f"The body of post {p} by user {u}" if p % 2 == 0 else None)
            post.comments = [Comment(text=f"Comment {c} on post {p} by user {u}") for c in range(COMMENTS_PER_POST)]
            user.posts.append(post)
        out.append(user)
    return out


def clear(engine):
    """Empties the tables; PostgreSQL truncates (deleted rows would linger as dead tuples), as the Rust side does."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE comments, posts, users"))
            return
        for table in ("comments", "posts", "users"):
            conn.execute(text(f"DELETE FROM {table}"))


# The shapes: each takes the engine and the size, runs once, returns a count to check.


def trivial(engine, n):
    with Session(engine) as s:
        return len(s.scalars(select(User)).all())


def medium(engine, n):
    with Session(engine) as s:
        query = select(User, Post).outerjoin(Post, Post.user_id == User.id).where(User.hair_color == "black")
        return len(s.execute(query).all())


def insert_users(engine, n):
    rows = users(n, lambda _: "hair_color")
    with Session(engine) as s, s.begin():
        s.execute(insert(User), rows)
    return n


def associations(engine, n):
    with Session(engine) as s:
        query = select(User).options(selectinload(User.posts).selectinload(Post.comments))
        loaded = s.scalars(query).all()
        return sum(len(p.comments) for u in loaded for p in u.posts)


def nested_write(engine, n):
    with Session(engine) as s, s.begin():
        s.add_all(trees(n))
    return n


SHAPES = [
    ("trivial", [1, 100, 10_000], trivial),
    ("medium", [1, 100, 1_000], medium),
    ("insert", [1, 100, 1_000], insert_users),
    ("associations", [100], associations),
    ("nested-write", [100], nested_write),
]


def seed(engine, kind, n):
    clear(engine)
    if kind == "trivial":
        with engine.begin() as conn:
            conn.execute(insert(User), users(n, lambda _: None))
    elif kind == "medium":
        with engine.begin() as conn:
            conn.execute(insert(User), users(n, black_or_brown))
    elif kind == "associations":
        with Session(engine) as s, s.begin():
            s.add_all(trees(n))


def expected(kind, n):
    return {
        "trivial": n,
        "medium": (n + 1) // 2,
        "insert": n,
        "associations": n * POSTS_PER_USER * COMMENTS_PER_POST,
        "nested-write": n,
    }[kind]


def with_database(url, database):
    base, _, query = url.partition("?")
    scheme, _, rest = base.partition("://")
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}/{database}" + (f"?{query}" if query else "")


def server_engine(url, driver):
    scheme = url.split("://", 1)[0]
    return url.replace(scheme + "://", driver + "://", 1)


def open_backend(backend):
    """An engine on a fresh database of the bench's own, and a function that drops it."""
    if backend == "sqlite":
        folder = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
        path = os.path.join(folder, f"{DATABASE}-{os.getpid()}.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        engine = create_engine(f"sqlite:///{path}")

        @event.listens_for(engine, "connect")
        def pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            for pragma in ("foreign_keys = ON", "busy_timeout = 5000", "journal_mode = WAL", "synchronous = NORMAL"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        def drop():
            engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)

        return engine, drop
    variable = {"postgres": "QUARRY_TEST_POSTGRES_URL", "mysql": "QUARRY_TEST_MYSQL_URL"}[backend]
    url = os.environ.get(variable, "").strip()
    if not url:
        raise SystemExit(f"{backend}: {variable} is not set")
    driver = {"postgres": "postgresql+psycopg2", "mysql": "mysql+pymysql"}[backend]
    admin = create_engine(server_engine(url, driver), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {DATABASE}"))
        conn.execute(text(f"CREATE DATABASE {DATABASE}"))
    engine = create_engine(server_engine(with_database(url, DATABASE), driver))

    def drop():
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {DATABASE}"))
        admin.dispose()

    return engine, drop


def run_backend(backend, rounds):
    engine, drop = open_backend(backend)
    medians = {}
    try:
        Base.metadata.create_all(engine)
        for kind, sizes, shape in SHAPES:
            for n in sizes:
                seed(engine, kind, n)
                got = shape(engine, n)  # the check, and a warm-up
                if got != expected(kind, n):
                    raise SystemExit(f"{backend} {kind}-{n}: got {got}, expected {expected(kind, n)}")
                if kind in ("insert", "nested-write"):
                    clear(engine)
                seconds = []
                for _ in range(rounds):
                    start = time.perf_counter()
                    shape(engine, n)
                    seconds.append(time.perf_counter() - start)
                    if kind in ("insert", "nested-write"):
                        clear(engine)
                medians[f"{kind}-{n}"] = statistics.median(seconds)
                print(f"  {kind}-{n}: {statistics.median(seconds) * 1e3:.3f} ms", flush=True)
    finally:
        drop()
    return medians


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_backends = ["sqlite"] + [b for b, v in (("postgres", "QUARRY_TEST_POSTGRES_URL"), ("mysql", "QUARRY_TEST_MYSQL_URL")) if os.environ.get(v, "").strip()]
    parser.add_argument("--backends", default=",".join(default_backends))
    parser.add_argument("--rounds", type=int, default=30)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--json", default=os.path.join(here, "..", "..", "..", "target", "sqlalchemy-bench.json"))
    args = parser.parse_args()
    results = {
        "sqlalchemy": sqlalchemy.__version__,
        "python": sys.version.split()[0],
        "rounds": args.rounds,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "backends": {},
    }
    for backend in args.backends.split(","):
        print(f"{backend} (SQLAlchemy {sqlalchemy.__version__}, {args.rounds} rounds):", flush=True)
        results["backends"][backend] = run_backend(backend, args.rounds)
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as out:
        json.dump(results, out, indent=2)
        out.write("\n")
    print(f"wrote {os.path.normpath(args.json)}")


if __name__ == "__main__":
    main()
