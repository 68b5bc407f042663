-- The situation store, version 1. docs/store.md describes every table and column.
-- Offsets: start/"end" index documents.text (normalised); raw_start/raw_end index the raw input.
-- No foreign keys and few indexes: DuckDB scans columns fast, and every index and constraint
-- slows the writer. The one secondary index serves the resume check (is this text stored?).

CREATE TABLE runs (
    id              VARCHAR PRIMARY KEY,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    status          VARCHAR NOT NULL,          -- running | finished | interrupted | killed | failed
    sitrep_version  VARCHAR NOT NULL,
    schema_version  INTEGER NOT NULL,
    engine          VARCHAR NOT NULL,
    workers         INTEGER NOT NULL,
    inputs          VARCHAR[] NOT NULL,
    params          JSON NOT NULL,
    pid             INTEGER,
    seen            INTEGER NOT NULL DEFAULT 0, -- documents read from the inputs
    added           INTEGER NOT NULL DEFAULT 0, -- analysed and stored with status ok
    failed          INTEGER NOT NULL DEFAULT 0, -- stored with status error
    skipped         INTEGER NOT NULL DEFAULT 0, -- already in the store, or repeated in the input
    seconds         DOUBLE,
    error           VARCHAR
);

CREATE TABLE documents (
    id            VARCHAR PRIMARY KEY,
    content_hash  VARCHAR,                      -- sitrep.ids.content_id(text); NULL for failed ones
    source        VARCHAR NOT NULL,
    title         VARCHAR,
    published     DATE,
    status        VARCHAR NOT NULL,             -- ok | error
    error         VARCHAR,
    text          VARCHAR NOT NULL,
    raw           VARCHAR,                      -- NULL when the raw input equals text
    chars         INTEGER NOT NULL,
    run_id        VARCHAR NOT NULL,
    added_at      TIMESTAMP NOT NULL
);
CREATE INDEX documents_content_hash ON documents (content_hash);

CREATE TABLE actors (
    id           VARCHAR PRIMARY KEY,           -- sitrep.resolve.merge.actor_id(key)
    key          VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    type         VARCHAR NOT NULL,
    country      VARCHAR,
    codes        JSON NOT NULL,
    parent_key   VARCHAR,
    aliases      VARCHAR[] NOT NULL,
    first_doc    VARCHAR,                       -- the mention the attributes come from: the
    first_start  INTEGER                        -- smallest (doc, start); NULL if never mentioned
);

CREATE TABLE places (
    id           VARCHAR PRIMARY KEY,           -- sitrep.resolve.merge.place_id(key)
    key          VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    feature      VARCHAR NOT NULL,
    lat          DOUBLE,
    lon          DOUBLE,
    geonames_id  BIGINT,
    country      VARCHAR,
    admin1       VARCHAR,
    confidence   DOUBLE NOT NULL,               -- the best of its mentions'
    first_doc    VARCHAR,
    first_start  INTEGER
);

CREATE TABLE mentions (
    kind        VARCHAR NOT NULL,               -- actor | place
    entity_id   VARCHAR NOT NULL,               -- actors.id or places.id
    doc         VARCHAR NOT NULL,               -- documents.id
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    raw_start   INTEGER,
    raw_end     INTEGER,
    text        VARCHAR NOT NULL,
    qualifier   VARCHAR,
    via         VARCHAR,
    confidence  DOUBLE
);

-- Filled by later stages (events, claims, techniques, fusion); the columns follow model.py's
-- EventDate and Quantity and the mention layout above.
CREATE TABLE events (
    id              VARCHAR PRIMARY KEY,
    doc             VARCHAR NOT NULL,
    type            VARCHAR NOT NULL,           -- PLOVER event type
    mode            VARCHAR,                    -- PLOVER mode
    code            VARCHAR,                    -- CAMEO code, when known
    start           INTEGER,                    -- the trigger's evidence
    "end"           INTEGER,
    raw_start       INTEGER,
    raw_end         INTEGER,
    text            VARCHAR,
    date_start      VARCHAR,                    -- EventDate: ISO date, or --MM-DD without a year
    date_end        VARCHAR,
    date_precision  VARCHAR NOT NULL DEFAULT 'unknown',
    date_text       VARCHAR,
    modality        VARCHAR NOT NULL DEFAULT 'asserted',
    place_id        VARCHAR,
    confidence      DOUBLE,
    attrs           JSON
);

CREATE TABLE event_actors (
    event_id  VARCHAR NOT NULL,
    actor_id  VARCHAR NOT NULL,
    role      VARCHAR NOT NULL,                 -- source | target | other
    PRIMARY KEY (event_id, actor_id, role)
);

CREATE TABLE quantities (
    owner_kind  VARCHAR NOT NULL,               -- event | claim
    owner_id    VARCHAR NOT NULL,
    doc         VARCHAR NOT NULL,
    value       DOUBLE NOT NULL,
    unit        VARCHAR NOT NULL,
    approx      VARCHAR,                        -- about | up_to | at_least | more_than | less_than | range | vague
    text        VARCHAR NOT NULL,
    start       INTEGER,
    "end"       INTEGER,
    raw_start   INTEGER,
    raw_end     INTEGER
);

CREATE TABLE claims (
    id          VARCHAR PRIMARY KEY,
    doc         VARCHAR NOT NULL,
    claimant_id VARCHAR,                        -- actors.id of who says it
    event_id    VARCHAR,                        -- events.id of what is claimed, when it is an event
    modality    VARCHAR NOT NULL DEFAULT 'claimed',
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    raw_start   INTEGER,
    raw_end     INTEGER,
    text        VARCHAR NOT NULL,
    confidence  DOUBLE,
    attrs       JSON
);

CREATE TABLE techniques (
    id          VARCHAR PRIMARY KEY,
    doc         VARCHAR NOT NULL,
    technique   VARCHAR NOT NULL,               -- e.g. Loaded_Language
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    raw_start   INTEGER,
    raw_end     INTEGER,
    text        VARCHAR NOT NULL,
    confidence  DOUBLE,
    attrs       JSON
);

CREATE TABLE relations (
    id          VARCHAR PRIMARY KEY,
    doc         VARCHAR NOT NULL,
    type        VARCHAR NOT NULL,               -- e.g. member_of, allied_with, located_in
    source_id   VARCHAR NOT NULL,               -- an actor, place or event id
    target_id   VARCHAR NOT NULL,
    start       INTEGER,
    "end"       INTEGER,
    raw_start   INTEGER,
    raw_end     INTEGER,
    text        VARCHAR,
    confidence  DOUBLE,
    attrs       JSON
);

CREATE TABLE event_clusters (
    id              VARCHAR PRIMARY KEY,        -- one real-world event reported by many documents
    type            VARCHAR,
    date_start      VARCHAR,
    date_end        VARCHAR,
    date_precision  VARCHAR NOT NULL DEFAULT 'unknown',
    place_id        VARCHAR,
    label           VARCHAR,
    attrs           JSON
);

CREATE TABLE event_cluster_members (
    cluster_id  VARCHAR NOT NULL,
    event_id    VARCHAR NOT NULL,
    score       DOUBLE,
    PRIMARY KEY (cluster_id, event_id)
);
