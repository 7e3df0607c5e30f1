# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Claiming log rows by their unique key: only the transaction that inserts a row
may act on it."""


def claim_rows(env, table, columns, rows):
    """Insert ``rows`` (tuples of ``columns``) into ``table`` unless their unique key
    exists; return the rows this transaction inserted, as tuples.

    Several workers: the unique constraint is the guard. A concurrent transaction
    inserting the same key waits for the first one; if that commits, the second
    inserts nothing (READ COMMITTED) or fails with a serialization error
    (REPEATABLE READ, Odoo's level: the key was committed after its snapshot), so it
    never acts on an event already claimed. Technical log rows nothing computes
    from, inserted in batch, hence plain SQL."""
    if not rows:
        return []
    width = len(columns)
    placeholders = ", ".join(
        [
            "(" + ", ".join(["%s"] * (width + 2)) + ", now() at time zone 'UTC', "
            "now() at time zone 'UTC')"
        ]
        * len(rows)
    )
    params = []
    for row in rows:
        params.extend(row)
        params.extend([env.uid, env.uid])
    names = ", ".join(columns)
    env.cr.execute(
        f"""
        INSERT INTO {table} ({names}, create_uid, write_uid, create_date, write_date)
        VALUES {placeholders}
        ON CONFLICT DO NOTHING
        RETURNING {names}
        """,
        params,
    )
    return env.cr.fetchall()
