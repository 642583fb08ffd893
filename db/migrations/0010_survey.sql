-- 0010_survey: survey data sets kept in the workspace, their data
-- dictionary, and the analyses run on them (inputs, method, options,
-- seed, version and results, so each can be rerun to the same numbers).

-- A data set imported from CSV (plain, HXL or KoboToolbox/ODK).
CREATE TABLE survey_dataset (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,      -- random code, e.g. 'D-7KQ4-M2XD'
    name          TEXT NOT NULL,             -- analyst's short name, unique among live sets
    n_rows        INTEGER NOT NULL CHECK (n_rows >= 0),  -- data rows
    n_cols        INTEGER NOT NULL CHECK (n_cols >= 1),  -- columns kept
    n_dropped     INTEGER NOT NULL DEFAULT 0,            -- identifying columns dropped at import
    has_identity  INTEGER NOT NULL DEFAULT 0             -- 1: an identifying column was kept
        CHECK (has_identity IN (0, 1)),
    sha256        TEXT NOT NULL,             -- hex SHA-256 of the stored canonical CSV
    n_bytes       INTEGER NOT NULL,          -- bytes of that CSV
    data          BLOB NOT NULL,             -- vault ciphertext (table 'survey_dataset', column 'data') of the canonical CSV
    created_by    INTEGER REFERENCES user(id),  -- NULL: the command line
    created_at    INTEGER NOT NULL,          -- unix seconds
    deleted_at    INTEGER,                   -- unix seconds; NULL while live
    deleted_by    INTEGER REFERENCES user(id),  -- who deleted it; NULL: command line
    delete_reason TEXT                       -- why (required when deleted)
) STRICT;
CREATE UNIQUE INDEX survey_dataset_live_name ON survey_dataset(name)
    WHERE deleted_at IS NULL;

-- The data dictionary: one row per kept column.
CREATE TABLE survey_column (
    dataset_id     INTEGER NOT NULL REFERENCES survey_dataset(id),
    position       INTEGER NOT NULL CHECK (position >= 0),  -- 0-based column index in the CSV
    name           TEXT NOT NULL,            -- header text ('group/question' for Kobo)
    tag            TEXT NOT NULL DEFAULT '', -- HXL hashtag or ''
    type           TEXT NOT NULL             -- inferred, then editable
        CHECK (type IN ('numeric', 'categorical', 'text', 'date')),
    label          TEXT NOT NULL DEFAULT '', -- question text or description
    is_identifying INTEGER NOT NULL DEFAULT 0 -- 1: names, phones, ids, free text
        CHECK (is_identifying IN (0, 1)),
    n_missing      INTEGER NOT NULL DEFAULT 0,  -- missing cells
    n_distinct     INTEGER NOT NULL DEFAULT 0,  -- distinct non-missing values (capped at 1000)
    PRIMARY KEY (dataset_id, position)
) STRICT, WITHOUT ROWID;

-- Value labels of categorical columns ('1' -> 'female').
CREATE TABLE survey_value_label (
    dataset_id INTEGER NOT NULL,
    position   INTEGER NOT NULL,             -- the column
    value      TEXT NOT NULL,                -- the code as it appears in the data
    label      TEXT NOT NULL,                -- its meaning
    PRIMARY KEY (dataset_id, position, value),
    FOREIGN KEY (dataset_id, position)
        REFERENCES survey_column(dataset_id, position)
) STRICT, WITHOUT ROWID;

-- One run of an analysis on a stored data set.
CREATE TABLE survey_analysis (
    id             INTEGER PRIMARY KEY,
    dataset_id     INTEGER NOT NULL REFERENCES survey_dataset(id),
    dataset_sha256 TEXT NOT NULL,            -- the data set's hash when run
    method         TEXT NOT NULL             -- what was run
        CHECK (method IN ('prevalence', 'risk', 'mse', 'rds')),
    options        TEXT NOT NULL,            -- JSON object of option name -> string value, keys sorted
    seed           INTEGER NOT NULL,         -- random seed used (bootstraps); 0 when none needed
    version        TEXT NOT NULL,            -- SIREN version that ran it
    result         TEXT NOT NULL,            -- JSON report: {info, tables}
    created_by     INTEGER REFERENCES user(id),  -- NULL: the command line
    created_at     INTEGER NOT NULL          -- unix seconds
) STRICT;
CREATE INDEX survey_analysis_by_dataset ON survey_analysis(dataset_id);
