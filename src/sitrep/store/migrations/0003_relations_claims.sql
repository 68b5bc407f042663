-- The situation store, version 3. docs/store.md describes every column.
-- No writer filled relations or claims before this version, so their tables are remade.

-- The actor network: one row per edge (source, target, kind), derived from relation_events.
DROP TABLE relations;
CREATE TABLE relations (
    id         VARCHAR PRIMARY KEY,             -- sitrep.resolve.relations.relation_id(source, target, kind)
    kind       VARCHAR NOT NULL,                -- allied | hostile | negotiates | accuses
    source_id  VARCHAR NOT NULL,                -- actors.id
    target_id  VARCHAR NOT NULL,                -- actors.id
    weight     INTEGER NOT NULL,                -- events stating it
    first      VARCHAR,                         -- ISO day of the earliest / latest dated statement
    last       VARCHAR,
    evidence   JSON NOT NULL                    -- the earliest statements' mentions (capped)
);

-- Each event that states a relation: the edge's weight counts these rows.
CREATE TABLE relation_events (
    relation_id  VARCHAR NOT NULL,
    event_id     VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    source_id    VARCHAR NOT NULL,
    target_id    VARCHAR NOT NULL,
    doc          VARCHAR NOT NULL,
    day          VARCHAR,                       -- the event's day, else its document's publication day
    start        INTEGER NOT NULL,              -- the event's evidence
    "end"        INTEGER NOT NULL,
    raw_start    INTEGER,
    raw_end      INTEGER,
    text         VARCHAR NOT NULL,
    PRIMARY KEY (relation_id, event_id)
);

-- Claims follow model.Claim.
DROP TABLE claims;
CREATE TABLE claims (
    id               VARCHAR PRIMARY KEY,
    doc              VARCHAR NOT NULL,
    text             VARCHAR NOT NULL,          -- the claim
    kind             VARCHAR NOT NULL,          -- direct_quote | indirect | according_to | unnamed_source | author
    speaker          VARCHAR,                   -- actors.id, when known
    speaker_text     VARCHAR,
    cue              VARCHAR,
    certainty        VARCHAR NOT NULL,          -- boosted | neutral | hedged | hypothetical
    checkworthiness  DOUBLE NOT NULL,
    events           VARCHAR[] NOT NULL,        -- events.id the claim carries
    start            INTEGER NOT NULL,          -- the claim's evidence
    "end"            INTEGER NOT NULL,
    raw_start        INTEGER,
    raw_end          INTEGER,
    attrs            JSON                       -- cue_mention, certainty_cues, evidence text
);
