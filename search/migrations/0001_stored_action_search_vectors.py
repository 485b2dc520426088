"""Stored, indexed search vectors for actions (PostgreSQL only; SQLite searches with LIKE).

Actions are the one kind of content that grows with the database (10,000 in a plan), so
their vectors are stored instead of computed for every row on every search: one ``tsvector``
column per language (``search_sv`` with the ``swedish`` configuration, ``search_en`` with
``english``; the title weighted A, the description B, as the search ranks them), kept up to
date by a trigger on every insert and on every update of the four texts – whatever writes them
(the admin, an import's ``bulk_create``, ``QuerySet.update()``) – and a GIN index each.

A trigger rather than a generated column: PostgreSQL refuses to change the type of a column a
generated column reads, so a later ``max_length`` change of a title would fail; a trigger reads
the columns by name when it runs. The columns are not model fields (Django knows nothing of
them, so SQLite and the model state are untouched); ``search.engine`` reads them on PostgreSQL.
Which actions a visitor finds is still decided by ``Action.objects.public()`` in the query.
"""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('{config}'::regconfig, coalesce({row}title_{lang}, '')), 'A') || "
    "setweight(to_tsvector('{config}'::regconfig, coalesce({row}description_{lang}, '')), 'B')"
)


def _vector(lang: str, config: str, row: str = "") -> str:
    return VECTOR.format(lang=lang, config=config, row=row)


FORWARD = [
    "ALTER TABLE actionplan_action ADD COLUMN search_sv tsvector, ADD COLUMN search_en tsvector",
    f"""CREATE FUNCTION search_action_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_sv := {_vector("sv", "swedish", "NEW.")};
        NEW.search_en := {_vector("en", "english", "NEW.")};
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER search_action_vectors
    BEFORE INSERT OR UPDATE OF title_sv, title_en, description_sv, description_en
    ON actionplan_action FOR EACH ROW EXECUTE FUNCTION search_action_vectors()""",
    f"""UPDATE actionplan_action
    SET search_sv = {_vector("sv", "swedish")}, search_en = {_vector("en", "english")}""",
    "CREATE INDEX search_action_sv_gin ON actionplan_action USING gin (search_sv)",
    "CREATE INDEX search_action_en_gin ON actionplan_action USING gin (search_en)",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS search_action_vectors ON actionplan_action",
    "DROP FUNCTION IF EXISTS search_action_vectors()",
    "ALTER TABLE actionplan_action DROP COLUMN IF EXISTS search_sv, "
    "DROP COLUMN IF EXISTS search_en",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("actionplan", "0007_merge_history_and_changed_at")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
