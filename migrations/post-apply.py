"""yoyo post-apply hook: replay the replaceable objects under sql/.

yoyo runs this only when at least one migration was pending; ``bbase migrate``
replays them on every run (see glue/bbase/migrate.py for why).
"""

from yoyo import step

from bbase.migrate import apply_replaceable

__transactional__ = True


def replay(conn):
    apply_replaceable(conn)


steps = [step(replay)]
