-- Trygghetsläget schema. Applied by safetycore.db.migrate(); every statement is idempotent.
-- Times are local wall-clock time in the municipality's zone (see meta.timezone).

CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS area_groups (
    id          VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    population  INTEGER CHECK (population IS NULL OR population >= 0),
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS areas (
    id               VARCHAR PRIMARY KEY,
    area_group_id    VARCHAR NOT NULL REFERENCES area_groups (id),
    name             VARCHAR NOT NULL,
    population       INTEGER CHECK (population IS NULL OR population >= 0),
    boundary_geojson VARCHAR NOT NULL,
    centroid_lat     DOUBLE NOT NULL CHECK (centroid_lat BETWEEN -90 AND 90),
    centroid_lon     DOUBLE NOT NULL CHECK (centroid_lon BETWEEN -180 AND 180),
    aliases          VARCHAR[] NOT NULL DEFAULT []
);

CREATE TABLE IF NOT EXISTS categories (
    code        VARCHAR PRIMARY KEY,
    kind        VARCHAR NOT NULL CHECK (kind IN ('incident', 'qol')),
    label_sv    VARCHAR NOT NULL,
    label_en    VARCHAR NOT NULL,
    sensitive   BOOLEAN NOT NULL DEFAULT false,
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS sources (
    code        VARCHAR PRIMARY KEY,
    label_sv    VARCHAR NOT NULL,
    label_en    VARCHAR NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE SEQUENCE IF NOT EXISTS import_batch_id_seq;

CREATE TABLE IF NOT EXISTS import_batches (
    id           BIGINT PRIMARY KEY DEFAULT nextval('import_batch_id_seq'),
    source       VARCHAR NOT NULL,
    file_name    VARCHAR NOT NULL,
    format       VARCHAR NOT NULL,
    imported_by  VARCHAR NOT NULL,
    imported_at  TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    rows_read    INTEGER NOT NULL DEFAULT 0,
    imported     INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    undone_at    TIMESTAMP,
    undone_by    VARCHAR
);

CREATE TABLE IF NOT EXISTS rejected_rows (
    batch_id     BIGINT NOT NULL,
    row_number   INTEGER NOT NULL,
    outcome      VARCHAR NOT NULL CHECK (outcome IN ('rejected', 'skipped', 'duplicate')),
    reason       VARCHAR NOT NULL,
    raw          VARCHAR
);

CREATE SEQUENCE IF NOT EXISTS incident_id_seq;

-- One table for incidents and quality-of-life offences; kind is copied from the category at
-- write time so that the common kind filter needs no join.
CREATE TABLE IF NOT EXISTS incidents (
    -- Single writes take the next sequence value; an import gives its rows the batch id in
    -- the high 32 bits and the row's position in the file in the low ones (no clash while
    -- the sequence stays below 2^32).
    id                 BIGINT NOT NULL DEFAULT nextval('incident_id_seq'),
    source             VARCHAR NOT NULL,
    source_ref         VARCHAR NOT NULL,
    category           VARCHAR NOT NULL,
    kind               VARCHAR NOT NULL CHECK (kind IN ('incident', 'qol')),
    occurred_at        TIMESTAMP NOT NULL,
    time_precision     VARCHAR NOT NULL CHECK (time_precision IN ('exact', 'day', 'month')),
    lat                DOUBLE CHECK (lat BETWEEN -90 AND 90),
    lon                DOUBLE CHECK (lon BETWEEN -180 AND 180),
    location_precision VARCHAR NOT NULL
        CHECK (location_precision IN ('exact', 'street', 'locality', 'municipality', 'county')),
    -- H3 cell at resolution 9 (about 0.1 km2), computed at write time; coarser cells are
    -- derived in SQL by bit arithmetic (see queries/_h3_parent notes in geo.py).
    h3_cell            UBIGINT,
    area_id            VARCHAR,
    -- Copied from the area and the category by the one writer (safetycore/incidents.py), and
    -- kept in step by the statements that move an area or make a category sensitive, so the
    -- filters that run on every page need no join.
    area_group_id      VARCHAR,
    sensitive          BOOLEAN NOT NULL DEFAULT false,
    place              VARCHAR,
    description        VARCHAR,
    import_batch_id    BIGINT,
    created_at         TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    UNIQUE (source, source_ref)
);

-- Who reported an observation from the form (e-mail with login, else the given name); imports
-- are traced through import_batch_id to import_batches.imported_by instead.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS reported_by VARCHAR;

CREATE SEQUENCE IF NOT EXISTS action_id_seq;

CREATE TABLE IF NOT EXISTS actions (
    id                BIGINT PRIMARY KEY DEFAULT nextval('action_id_seq'),
    title             VARCHAR NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 200),
    description       VARCHAR NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    area_group_id     VARCHAR NOT NULL REFERENCES area_groups (id),
    area_id           VARCHAR REFERENCES areas (id),
    target_categories VARCHAR[] NOT NULL DEFAULT [],
    owner_org         VARCHAR NOT NULL,
    assignee          VARCHAR NOT NULL DEFAULT '' CHECK (length(assignee) <= 120),
    status            VARCHAR NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
    priority          VARCHAR NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
    origin            VARCHAR NOT NULL DEFAULT 'situation_meeting'
        CHECK (origin IN ('situation_meeting', 'area_group', 'safety_walk', 'employee_report')),
    created_at        TIMESTAMP NOT NULL,
    created_by        VARCHAR NOT NULL CHECK (length(trim(created_by)) > 0),
    start_date        DATE NOT NULL,
    due_date          DATE,
    done_at           TIMESTAMP,
    outcome           VARCHAR NOT NULL DEFAULT '' CHECK (length(outcome) <= 4000),
    lat               DOUBLE CHECK (lat BETWEEN -90 AND 90),
    lon               DOUBLE CHECK (lon BETWEEN -180 AND 180),
    radius_m          INTEGER CHECK (radius_m IS NULL OR radius_m BETWEEN 10 AND 20000),
    cost_sek          DOUBLE CHECK (cost_sek IS NULL OR cost_sek >= 0),
    version           INTEGER NOT NULL DEFAULT 1,
    CHECK (due_date IS NULL OR due_date >= CAST(created_at AS DATE))
);

-- One row per changed field (plus 'created' and 'note' rows), written in the same transaction
-- as the change itself (safetycore/actions.py).
CREATE TABLE IF NOT EXISTS action_log (
    action_id  BIGINT NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL CHECK (length(trim(changed_by)) > 0),
    field      VARCHAR NOT NULL,
    old_value  VARCHAR,
    new_value  VARCHAR
);

CREATE TABLE IF NOT EXISTS area_ratings (
    area_group_id VARCHAR NOT NULL REFERENCES area_groups (id),
    iso_week      VARCHAR NOT NULL CHECK (regexp_full_match(iso_week, '[0-9]{4}-W[0-9]{2}')),
    rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment       VARCHAR NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
    rated_by      VARCHAR NOT NULL CHECK (length(trim(rated_by)) > 0),
    rated_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (area_group_id, iso_week)
);

-- Weekly rollup of incidents (ISO week x area x category x source), kept in step with the
-- incidents table by every write transaction (db.refresh_rollups), so counts over long periods
-- read thousands of rows instead of millions. rollup_weeks holds each week's fingerprint
-- (count and id sum), which tells which weeks a write changed.
CREATE TABLE IF NOT EXISTS rollup_weekly (
    week          DATE NOT NULL,
    area_id       VARCHAR,
    area_group_id VARCHAR,
    category      VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    sensitive     BOOLEAN NOT NULL,
    n             BIGINT NOT NULL,
    n_mappable    BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS rollup_weeks (
    week    DATE PRIMARY KEY,
    n       BIGINT NOT NULL,
    id_sum  HUGEINT NOT NULL
);

-- Roles given on the Admin page; they take precedence over the role file (access.RoleConfig).
CREATE TABLE IF NOT EXISTS user_roles (
    email    VARCHAR PRIMARY KEY CHECK (email = lower(trim(email)) AND contains(email, '@')),
    role     VARCHAR NOT NULL CHECK (role IN ('viewer', 'reporter', 'coordinator', 'admin')),
    set_by   VARCHAR NOT NULL,
    set_at   TIMESTAMP NOT NULL
);

-- The type or category as the source wrote it ("Other crime", a police event type), kept so
-- that events in an "other" category can be listed and mapped to a better one later.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS category_raw VARCHAR;

-- Every change on the Administration page to areas and area groups (safetycore/area_admin.py),
-- one row per changed field, written in the same transaction as the change.
CREATE TABLE IF NOT EXISTS area_log (
    changed_at  TIMESTAMP NOT NULL,
    changed_by  VARCHAR NOT NULL CHECK (length(trim(changed_by)) > 0),
    entity      VARCHAR NOT NULL CHECK (entity IN ('area', 'area_group', 'areas')),
    entity_id   VARCHAR NOT NULL,
    field       VARCHAR NOT NULL,
    old_value   VARCHAR,
    new_value   VARCHAR
);

-- Other names of an area ("Vasastan" for Vasastaden), used to place events whose text names a
-- place. A table of their own rather than areas.aliases: DuckDB cannot update a list column
-- of a row that actions refer to.
CREATE TABLE IF NOT EXISTS area_aliases (
    area_id  VARCHAR NOT NULL,
    alias    VARCHAR NOT NULL CHECK (length(trim(alias)) > 0)
);

-- Privacy: refused rows carry the category decided for them and its sensitivity, so that a
-- role that may not see sensitive categories is not shown those rows (safetycore/ingest/
-- refused.py). Rows stored before have NULL: of unknown sensitivity, treated as sensitive.
ALTER TABLE rejected_rows ADD COLUMN IF NOT EXISTS category VARCHAR;
ALTER TABLE rejected_rows ADD COLUMN IF NOT EXISTS sensitive BOOLEAN;

-- The cost of an event and who was involved (the yearly situation picture, lag 2023:196 § 4):
-- repair and cleaning cost in SEK (e.g. from the property department's work orders), the
-- group involved as EST reporting records it (never a name or an identity), and about how
-- many people.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS cost_sek DOUBLE;
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS involved VARCHAR;
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS people INTEGER;

-- The analyst's own text in the yearly situation picture: conclusions and priorities per
-- section, with who wrote them and when (scrubbed of personal data on the way in).
CREATE TABLE IF NOT EXISTS yearly_texts (
    year        INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2200),
    section     VARCHAR NOT NULL,
    text        VARCHAR NOT NULL DEFAULT '' CHECK (length(text) <= 8000),
    written_by  VARCHAR NOT NULL CHECK (length(trim(written_by)) > 0),
    written_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (year, section)
);

-- Notifications (digests, reminders, händelser): who gets e-mail, and what was sent to whom.
-- A contact is an e-mail address for an owner organisation (a sources code), an area group,
-- both, or neither (a user with login, who hears about the tasks assigned to that address).
-- '' means "none", so that the unique key holds (NULLs would never clash).
CREATE TABLE IF NOT EXISTS contacts (
    email          VARCHAR NOT NULL CHECK (email = lower(trim(email)) AND contains(email, '@')),
    organisation   VARCHAR NOT NULL DEFAULT '',
    area_group_id  VARCHAR NOT NULL DEFAULT '',
    language       VARCHAR NOT NULL DEFAULT 'sv' CHECK (language IN ('sv', 'en')),
    added_by       VARCHAR NOT NULL CHECK (length(trim(added_by)) > 0),
    added_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (email, organisation, area_group_id)
);

-- Every change to the contacts (the Administration page, contacts import), one row a change.
CREATE TABLE IF NOT EXISTS contact_log (
    changed_at     TIMESTAMP NOT NULL,
    changed_by     VARCHAR NOT NULL CHECK (length(trim(changed_by)) > 0),
    change         VARCHAR NOT NULL CHECK (change IN ('added', 'removed', 'language')),
    email          VARCHAR NOT NULL,
    organisation   VARCHAR NOT NULL DEFAULT '',
    area_group_id  VARCHAR NOT NULL DEFAULT '',
    detail         VARCHAR
);

-- One row per message sent: a weekly digest (key = ISO week), an overdue reminder (key =
-- action id), an assignment notice or a händelse notice (key = the log row that caused it).
-- A row here means "already sent": it is never sent again unless asked to (--force).
CREATE TABLE IF NOT EXISTS notifications_sent (
    kind     VARCHAR NOT NULL CHECK (kind IN ('digest', 'overdue', 'assigned', 'event')),
    key      VARCHAR NOT NULL,
    email    VARCHAR NOT NULL,
    sent_at  TIMESTAMP NOT NULL,
    subject  VARCHAR NOT NULL,
    PRIMARY KEY (kind, key, email)
);

-- Händelser: quick coordination after a serious event (safetycore/events.py). Its tasks are
-- ordinary actions carrying the event's id (actions.event_id) and a deadline in hours (due_at).
CREATE SEQUENCE IF NOT EXISTS event_id_seq;
CREATE TABLE IF NOT EXISTS events (
    id             BIGINT PRIMARY KEY DEFAULT nextval('event_id_seq'),
    title          VARCHAR NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 120),
    place          VARCHAR NOT NULL CHECK (length(trim(place)) BETWEEN 1 AND 120),
    area_group_id  VARCHAR NOT NULL,
    occurred_at    TIMESTAMP NOT NULL,
    status         VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_by      VARCHAR NOT NULL CHECK (length(trim(opened_by)) > 0),
    opened_at      TIMESTAMP NOT NULL,
    closed_at      TIMESTAMP,
    outcome        VARCHAR NOT NULL DEFAULT '' CHECK (length(outcome) <= 2000)
);

-- The organisations taking part in an event: invited, and released when their part is done.
CREATE TABLE IF NOT EXISTS event_orgs (
    event_id      BIGINT NOT NULL,
    organisation  VARCHAR NOT NULL,
    invited_at    TIMESTAMP NOT NULL,
    released_at   TIMESTAMP,
    PRIMARY KEY (event_id, organisation)
);

-- The event's log: opened, invited, released, task, note, closed; one row each, in order.
CREATE SEQUENCE IF NOT EXISTS event_log_id_seq;
CREATE TABLE IF NOT EXISTS event_log (
    id            BIGINT PRIMARY KEY DEFAULT nextval('event_log_id_seq'),
    event_id      BIGINT NOT NULL,
    logged_at     TIMESTAMP NOT NULL,
    logged_by     VARCHAR NOT NULL CHECK (length(trim(logged_by)) > 0),
    entry         VARCHAR NOT NULL
        CHECK (entry IN ('opened', 'invited', 'released', 'task', 'note', 'closed')),
    organisation  VARCHAR NOT NULL DEFAULT '',
    action_id     BIGINT,
    text          VARCHAR NOT NULL DEFAULT '' CHECK (length(text) <= 2000)
);

ALTER TABLE actions ADD COLUMN IF NOT EXISTS event_id BIGINT;
ALTER TABLE actions ADD COLUMN IF NOT EXISTS due_at TIMESTAMP;
