# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One-statement write-back of values computed in batch (deadlines, states)."""

_CASTS = {
    "datetime": "timestamp",
    "many2one": "int4",
    "integer": "int4",
    "boolean": "bool",
    "float": "float8",
    "selection": "varchar",
    "char": "varchar",
}
_CHUNK = 5000


def bulk_write(model, rows):
    """Write ``{id: {field: value}}`` into ``model``'s table with one UPDATE per chunk.

    The ORM flushes one UPDATE per distinct set of values, i.e. one per ticket for
    deadlines. This is only used for plain stored columns that no stored compute depends
    on; the records' cache is invalidated afterwards so reads see the new values."""
    if not rows:
        return
    fnames = sorted({fname for values in rows.values() for fname in values})
    if any(len(values) != len(fnames) for values in rows.values()):
        raise ValueError("bulk_write: every row must carry the same fields")
    records = model.browse(list(rows))
    records.flush_recordset(fnames)
    columns = ", ".join(f'"{fname}"' for fname in fnames)
    assignments = ", ".join(
        f'"{fname}" = v."{fname}"::{_CASTS[model._fields[fname].type]}'
        for fname in fnames
    )
    template = "(" + ", ".join(["%s"] * (len(fnames) + 1)) + ")"
    cr = model.env.cr
    items = list(rows.items())
    for start in range(0, len(items), _CHUNK):
        values_sql = ", ".join(
            cr.mogrify(
                template,
                [record_id]
                + [
                    None if values.get(fname) is False else values.get(fname)
                    for fname in fnames
                ],
            ).decode()
            for record_id, values in items[start : start + _CHUNK]
        )
        # Table and column names come from the model's own fields; every value went
        # through mogrify: nothing from the user reaches the statement unescaped.
        cr.execute(  # pylint: disable=sql-injection
            f'UPDATE "{model._table}" AS t SET {assignments} '
            f"FROM (VALUES {values_sql}) AS v(id, {columns}) WHERE t.id = v.id"
        )
    records.invalidate_recordset(fnames)


def touch_rows(records):
    """Write the rows of ``records`` without changing them (``write_date`` keeps its
    value), so that two transactions working from the same shared row conflict.

    Under Odoo's REPEATABLE READ a bare ``SELECT ... FOR UPDATE`` waits for the other
    transaction but keeps the old snapshot; a write instead fails the second writer
    with a serialization error, which Odoo retries on a fresh snapshot for HTTP
    requests (not for crons or fetchmail). Plain SQL: nothing tracked or computed
    depends on the untouched row."""
    if records:
        # The table name is the model's own; the ids go through the driver.
        records.env.cr.execute(  # pylint: disable=sql-injection
            f'UPDATE "{records._table}" SET write_date = write_date WHERE id IN %s',
            [tuple(records.ids)],
        )
