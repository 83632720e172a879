/**
 * Versioned schema migrations. Append only: never edit a migration that has shipped.
 * The applied version lives in SQLite's `user_version`.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: the weekly loop */ `
  CREATE TABLE rkks (
    id              TEXT PRIMARY KEY,          -- the Teams team id
    name            TEXT NOT NULL,
    team_id         TEXT NOT NULL,
    aad_group_id    TEXT,
    channel_id      TEXT NOT NULL,
    tenant_id       TEXT,
    service_url     TEXT NOT NULL,
    conversation_ref TEXT NOT NULL,            -- JSON ConversationReference of the channel
    active          INTEGER NOT NULL DEFAULT 1,
    greeting        TEXT,                      -- NULL | 'sending' | 'sent'
    registered_at   TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deactivated_at  TEXT
  );

  CREATE TABLE personal_chats (
    member_key      TEXT PRIMARY KEY,
    conversation_ref TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  );

  CREATE TABLE questions (
    id              TEXT PRIMARY KEY,
    text            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('single','multiple','scale','open')),
    options         TEXT NOT NULL,             -- JSON [{id,label}]
    scale_low       TEXT,
    scale_high      TEXT,
    allow_comment   INTEGER NOT NULL,
    theme           TEXT NOT NULL,
    targets         TEXT NOT NULL,             -- JSON "all" | [names or team ids]
    week            TEXT,
    queue_order     INTEGER NOT NULL DEFAULT 0,
    publish_at      TEXT,
    closes_at       TEXT,
    closed_at       TEXT,
    source          TEXT NOT NULL,
    created_by      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  );
  CREATE INDEX questions_week ON questions(week);
  CREATE INDEX questions_publish ON questions(publish_at);

  -- One outgoing channel message we must deliver exactly once: the question post,
  -- or the results reply when a question closes.
  CREATE TABLE deliveries (
    kind            TEXT NOT NULL CHECK (kind IN ('question','results')),
    question_id     TEXT NOT NULL REFERENCES questions(id),
    rkk_id          TEXT NOT NULL REFERENCES rkks(id),
    state           TEXT NOT NULL CHECK (state IN ('pending','sending','sent','failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    conversation_id TEXT,                      -- the thread: "<channel>;messageid=<root>"
    message_id      TEXT,
    shown_count     INTEGER,                   -- answer count last shown on the shared card
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    PRIMARY KEY (kind, question_id, rkk_id)
  );
  CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
  CREATE INDEX deliveries_thread ON deliveries(message_id);

  CREATE TABLE answers (
    question_id     TEXT NOT NULL REFERENCES questions(id),
    member_key      TEXT NOT NULL,
    aad_object_id   TEXT,
    teams_user_id   TEXT NOT NULL,
    member_name     TEXT NOT NULL,
    rkk_id          TEXT,
    choices         TEXT NOT NULL,             -- JSON [optionId]
    text            TEXT,
    comment         TEXT,
    answered_at     TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    revision        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (question_id, member_key)
  );

  CREATE TABLE comments (
    message_id      TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    question_id     TEXT NOT NULL REFERENCES questions(id),
    rkk_id          TEXT NOT NULL,
    author_key      TEXT NOT NULL,
    author_name     TEXT NOT NULL,
    text            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    edited_at       TEXT,
    deleted_at      TEXT,
    PRIMARY KEY (conversation_id, message_id)
  );
  CREATE INDEX comments_question ON comments(question_id);
  `,
];
