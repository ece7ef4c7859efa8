-- dateline's DuckDB schema. Every offset (start_char, end_char) indexes articles.text.
-- Tables are created if absent; a schema_version row in meta records which version wrote the file.

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,            -- running | finished | failed | interrupted
    command VARCHAR,
    inputs VARCHAR,                      -- JSON list of the paths given
    settings VARCHAR,                    -- JSON of the settings used
    documents BIGINT DEFAULT 0,
    stored BIGINT DEFAULT 0,
    rejected BIGINT DEFAULT 0,
    duplicates BIGINT DEFAULT 0,
    version VARCHAR
);

CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,              -- sha256 of the normalised text, 16 hex digits
    digest VARCHAR NOT NULL,             -- sha256 of the raw bytes as read
    uri VARCHAR NOT NULL,
    site VARCHAR,
    title VARCHAR,
    section VARCHAR,
    tags VARCHAR[],
    related VARCHAR[],
    read_more VARCHAR[],
    boilerplate VARCHAR[],
    language VARCHAR,
    published_stated TIMESTAMPTZ,
    published_stated_source VARCHAR,
    published_trusted BOOLEAN,
    published_reasons VARCHAR[],
    published_estimate_start DATE,
    published_estimate_end DATE,
    content_type VARCHAR,
    extractor VARCHAR,
    text VARCHAR NOT NULL,
    n_chars INTEGER,
    run_id VARCHAR,
    ingested_at TIMESTAMPTZ,
    document JSON                        -- the full document JSON (design.md section 3)
);

CREATE TABLE IF NOT EXISTS paragraphs (
    article_id VARCHAR NOT NULL,
    n INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    PRIMARY KEY (article_id, n)
);

CREATE TABLE IF NOT EXISTS mentions (
    article_id VARCHAR NOT NULL,
    n INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR,
    label VARCHAR,
    actor_name VARCHAR,
    country VARCHAR,
    sector VARCHAR,
    wikidata VARCHAR,
    role VARCHAR,
    role_start DATE,
    role_end DATE,
    confidence DOUBLE,
    PRIMARY KEY (article_id, n)
);

CREATE TABLE IF NOT EXISTS places (
    article_id VARCHAR NOT NULL,
    n INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR,
    geonameid BIGINT,
    name VARCHAR,
    country_code VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    feature VARCHAR,
    resolution VARCHAR,
    confidence DOUBLE,
    PRIMARY KEY (article_id, n)
);

CREATE TABLE IF NOT EXISTS times (
    article_id VARCHAR NOT NULL,
    n INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR,
    value VARCHAR,
    type VARCHAR,
    granularity VARCHAR,
    interval_start DATE,
    interval_end DATE,
    confidence DOUBLE,
    PRIMARY KEY (article_id, n)
);

CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    event VARCHAR,
    mode VARCHAR,
    context VARCHAR[],
    aux VARCHAR[],
    date VARCHAR,
    enddate VARCHAR,
    date_precision VARCHAR,
    country_code VARCHAR,
    geonameid BIGINT,
    lat DOUBLE,
    lon DOUBLE,
    cameo VARCHAR,
    quad_code INTEGER,
    confidence DOUBLE,
    cluster VARCHAR,
    record JSON                          -- the full event JSON (design.md section 3)
);

CREATE TABLE IF NOT EXISTS event_mentions (
    event_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,               -- actor | recipient
    n INTEGER NOT NULL,
    text VARCHAR,
    actor_name VARCHAR,
    country VARCHAR,
    sector VARCHAR,
    start_char INTEGER,
    end_char INTEGER,
    PRIMARY KEY (event_id, role, n)
);

CREATE TABLE IF NOT EXISTS clusters (
    id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,               -- article | event
    member_id VARCHAR NOT NULL,
    PRIMARY KEY (kind, member_id)
);

CREATE TABLE IF NOT EXISTS rejects (
    uri VARCHAR NOT NULL,
    digest VARCHAR NOT NULL,             -- sha256 of the raw bytes, '' when none were read
    stage VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    run_id VARCHAR,
    rejected_at TIMESTAMPTZ,
    PRIMARY KEY (uri, digest)
);

-- Derived, never written by hand: one row per events row, rebuilt from events, event_mentions
-- and places by Database.index_events() (write_clusters runs it at the end of each ingest).
-- The web's event listing filters, counts and pages on it instead of aggregating per request.
-- meta 'event_index' holds a fingerprint of the source rows it was built from; a reader that
-- finds a different fingerprint ignores the table and queries the base tables instead.
CREATE TABLE IF NOT EXISTS event_index (
    id VARCHAR NOT NULL,                 -- events.id
    article_id VARCHAR NOT NULL,
    cluster_key VARCHAR NOT NULL,        -- coalesce(cluster, id): the real-world event
    event VARCHAR,
    date VARCHAR,
    last_date VARCHAR,                   -- coalesce(enddate, date)
    confidence DOUBLE,
    aux VARCHAR[],
    country_code VARCHAR,
    geonameid BIGINT,
    n_reports INTEGER,                   -- events rows in the cluster
    n_sources INTEGER,                   -- distinct articles in the cluster
    actor_names VARCHAR[],               -- lower-cased, distinct
    actor_countries VARCHAR[],
    recipient_names VARCHAR[],           -- lower-cased, distinct
    recipient_countries VARCHAR[],
    countries VARCHAR[],                 -- every actor's and recipient's country
    place_names VARCHAR[],               -- lower-cased names and texts of places rows with this geonameid
    r_date_desc INTEGER,                 -- 1-based rank in each of the listing's sort orders
    r_date_asc INTEGER,
    r_conf_desc INTEGER,
    r_conf_asc INTEGER,
    r_type INTEGER
);
