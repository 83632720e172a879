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
  /* 2: SharePoint sync — the outbox is written in the same transaction as each change */ `
  CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    entity          TEXT NOT NULL CHECK (entity IN ('question','answer','comment','post')),
    entity_key      TEXT NOT NULL,
    created_at      TEXT NOT NULL
  );
  CREATE INDEX outbox_entity ON outbox(entity, entity_key, id);

  -- The SharePoint item that holds each synced record (found again by its unique key if lost).
  CREATE TABLE sp_items (
    entity          TEXT NOT NULL,
    entity_key      TEXT NOT NULL,
    item_id         TEXT NOT NULL,
    synced_at       TEXT NOT NULL,
    PRIMARY KEY (entity, entity_key)
  );

  -- Records SharePoint refused for a reason that retrying will not fix; kept until an admin retries.
  CREATE TABLE sync_parked (
    entity          TEXT NOT NULL,
    entity_key      TEXT NOT NULL,
    error           TEXT NOT NULL,
    parked_at       TEXT NOT NULL,
    PRIMARY KEY (entity, entity_key)
  );

  -- Question rows moderators wrote in SharePoint, as last read: to see what changed.
  CREATE TABLE sp_question_rows (
    item_id         TEXT PRIMARY KEY,
    question_id     TEXT,
    content_hash    TEXT NOT NULL,
    status          TEXT NOT NULL,
    seen_at         TEXT NOT NULL
  );

  -- Every record so far goes to SharePoint once it is configured.
  INSERT INTO outbox (entity, entity_key, created_at) SELECT 'question', id, updated_at FROM questions;
  INSERT INTO outbox (entity, entity_key, created_at) SELECT 'answer', question_id || char(31) || member_key, updated_at FROM answers;
  INSERT INTO outbox (entity, entity_key, created_at) SELECT 'comment', conversation_id || char(31) || message_id, created_at FROM comments;
  INSERT INTO outbox (entity, entity_key, created_at) SELECT 'post', question_id || char(31) || rkk_id, created_at FROM deliveries WHERE kind = 'question';
  `,
  /* 3: privacy — an audit trail of admin actions, which SharePoint also receives */ `
  CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL,
    actor_key       TEXT NOT NULL,
    actor_name      TEXT NOT NULL,
    action          TEXT NOT NULL,
    target          TEXT,
    details         TEXT
  );
  -- SQLite cannot change a CHECK constraint in place: the outbox is rebuilt with the new entity.
  CREATE TABLE outbox_v3 (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    entity          TEXT NOT NULL CHECK (entity IN ('question','answer','comment','post','audit')),
    entity_key      TEXT NOT NULL,
    created_at      TEXT NOT NULL
  );
  INSERT INTO outbox_v3 (id, entity, entity_key, created_at) SELECT id, entity, entity_key, created_at FROM outbox;
  DROP TABLE outbox;
  ALTER TABLE outbox_v3 RENAME TO outbox;
  CREATE INDEX outbox_entity ON outbox(entity, entity_key, id);
  `,
  /* 4: anonymous questions — a salt per question, deleted when it closes */ `
  ALTER TABLE questions ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE question_salts (
    question_id     TEXT PRIMARY KEY REFERENCES questions(id),
    salt            TEXT NOT NULL
  );
  `,
  /* 5: moderators per RKK, appointed by administrators */ `
  CREATE TABLE moderators (
    rkk_id          TEXT NOT NULL REFERENCES rkks(id),
    member_key      TEXT NOT NULL,
    added_by        TEXT NOT NULL,
    added_at        TEXT NOT NULL,
    PRIMARY KEY (rkk_id, member_key)
  );
  `,
  /* 6: tallies kept up to date with each answer, so a tally costs the same at 10 or 10,000 answers */ `
  CREATE TABLE answer_tallies (
    question_id     TEXT NOT NULL,
    rkk_id          TEXT NOT NULL,             -- '' for answers given outside an RKK (personal chat)
    option_id       TEXT NOT NULL,             -- an option, or '#respondents' / '#comments'
    n               INTEGER NOT NULL,
    PRIMARY KEY (question_id, rkk_id, option_id)
  );
  INSERT INTO answer_tallies (question_id, rkk_id, option_id, n)
    SELECT question_id, COALESCE(rkk_id, ''), j.value, COUNT(*) FROM answers, json_each(answers.choices) AS j GROUP BY 1, 2, 3;
  INSERT INTO answer_tallies (question_id, rkk_id, option_id, n)
    SELECT question_id, COALESCE(rkk_id, ''), '#respondents', COUNT(*) FROM answers GROUP BY 1, 2;
  INSERT INTO answer_tallies (question_id, rkk_id, option_id, n)
    SELECT question_id, COALESCE(rkk_id, ''), '#comments', COUNT(comment) FROM answers GROUP BY 1, 2;
  `,
  /* 7: instances and the lease on the background work (one leader at a time) */ `
  CREATE TABLE leases (
    name            TEXT PRIMARY KEY,          -- 'leader'
    holder          TEXT NOT NULL,             -- the instance id
    since           TEXT NOT NULL,             -- held by this holder since
    expires_at      TEXT NOT NULL
  );
  CREATE TABLE instances (
    id              TEXT PRIMARY KEY,
    started_at      TEXT NOT NULL,
    seen_at         TEXT NOT NULL,
    alive_until     TEXT NOT NULL
  );
  `,
  /* 8: claims: a delivery being sent, and an entity being written to SharePoint, belong to one instance until a moment (a crashed one's claim runs out, a live one's is left alone) */ `
  ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
  ALTER TABLE deliveries ADD COLUMN claim_expires_at TEXT;
  CREATE TABLE outbox_claims (
    entity          TEXT NOT NULL,
    entity_key      TEXT NOT NULL,
    claimed_by      TEXT NOT NULL,             -- the instance writing it to SharePoint
    expires_at      TEXT NOT NULL,
    PRIMARY KEY (entity, entity_key)
  );
  `,
  /* 9: an RKK speaks a language (Dutch unless set otherwise); a question may carry an English text */ `
  ALTER TABLE rkks ADD COLUMN lang TEXT NOT NULL DEFAULT 'nl' CHECK (lang IN ('nl', 'en'));
  ALTER TABLE questions ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';
  `,
  /*
   * 10: more messages owed: the digest of what the other regions answered, per (question, RKK), a
   * while after the close; the weekly recurring themes in RKK Overkoepelend, keyed "themes:<week>"
   * (so question_id no longer always names a question). SQLite cannot change a CHECK or drop a
   * reference: the table is rebuilt.
   */ `
  CREATE TABLE deliveries_v10 (
    kind            TEXT NOT NULL CHECK (kind IN ('question','results','digest','themes')),
    question_id     TEXT NOT NULL,
    rkk_id          TEXT NOT NULL REFERENCES rkks(id),
    state           TEXT NOT NULL CHECK (state IN ('pending','sending','sent','failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    conversation_id TEXT,
    message_id      TEXT,
    shown_count     INTEGER,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    claimed_by      TEXT,
    claim_expires_at TEXT,
    PRIMARY KEY (kind, question_id, rkk_id)
  );
  INSERT INTO deliveries_v10 (kind, question_id, rkk_id, state, attempts, next_attempt_at, last_error, conversation_id, message_id, shown_count, created_at, sent_at, claimed_by, claim_expires_at)
    SELECT kind, question_id, rkk_id, state, attempts, next_attempt_at, last_error, conversation_id, message_id, shown_count, created_at, sent_at, claimed_by, claim_expires_at FROM deliveries;
  DROP TABLE deliveries;
  ALTER TABLE deliveries_v10 RENAME TO deliveries;
  CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
  CREATE INDEX deliveries_thread ON deliveries(message_id);
  `,
  /* 11: explanations a moderator highlights for the other regions (the digest shows them there) */ `
  CREATE TABLE highlights (
    question_id     TEXT NOT NULL REFERENCES questions(id),
    rkk_id          TEXT NOT NULL REFERENCES rkks(id),
    member_key      TEXT NOT NULL,             -- the answer whose explanation it is
    comment         TEXT NOT NULL,             -- the explanation as highlighted: an edited one is not shown
    marked_by       TEXT NOT NULL,
    marked_at       TEXT NOT NULL,
    PRIMARY KEY (question_id, member_key)
  );
  `,
  /* 12: one team can be RKK Overkoepelend: it gets no question meant for all RKKs, only those that name it */ `
  ALTER TABLE rkks ADD COLUMN overarching INTEGER NOT NULL DEFAULT 0;
  `,
  /*
   * 13: knowledge moments (planned in Teams or written in the SharePoint agenda), each announced in
   * every RKK; questions for all regions, approved by an administrator and asked in RKK
   * Overkoepelend, whose replies are comments on the ask; personal messages owed to a member
   * (`notice`: rkk_id then holds the member's key, so it no longer always names an RKK). The
   * deliveries, outbox and comments tables are rebuilt for their checks and references.
   */ `
  CREATE TABLE moments (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    starts_at       TEXT NOT NULL,
    location        TEXT NOT NULL,             -- an https link or a place
    description     TEXT NOT NULL,
    theme           TEXT,                      -- the recurring theme it answers
    source          TEXT NOT NULL CHECK (source IN ('bot','sharepoint')),
    created_by      TEXT,
    created_by_name TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  );
  CREATE INDEX moments_starts ON moments(starts_at);
  CREATE TABLE asks (
    id              TEXT PRIMARY KEY,
    text            TEXT NOT NULL,
    asker_key       TEXT NOT NULL,
    asker_name      TEXT NOT NULL,
    asker_teams_id  TEXT NOT NULL,             -- the 29: id, to start a personal chat
    asker_rkk_id    TEXT,                      -- the RKK they asked from (none from a personal chat)
    state           TEXT NOT NULL CHECK (state IN ('pending','approved','rejected')),
    reason          TEXT,                      -- why it was rejected
    decided_by      TEXT,
    decided_by_name TEXT,
    created_at      TEXT NOT NULL,
    decided_at      TEXT,
    told_replies    INTEGER NOT NULL DEFAULT 0, -- how many replies the asker has been told of
    told_at         TEXT                       -- when the asker was last told
  );
  CREATE INDEX asks_asker ON asks(asker_key);
  -- The recurring themes as the weekly card in RKK Overkoepelend showed them (SharePoint keeps one item per theme).
  CREATE TABLE theme_weeks (
    week            TEXT PRIMARY KEY,
    themes          TEXT NOT NULL,             -- JSON: the themes, their RKKs, building blocks and evidence
    recorded_at     TEXT NOT NULL
  );
  CREATE TABLE deliveries_v13 (
    kind            TEXT NOT NULL CHECK (kind IN ('question','results','digest','themes','moment','ask','notice')),
    question_id     TEXT NOT NULL,
    rkk_id          TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending','sending','sent','failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    conversation_id TEXT,
    message_id      TEXT,
    shown_count     INTEGER,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    claimed_by      TEXT,
    claim_expires_at TEXT,
    PRIMARY KEY (kind, question_id, rkk_id)
  );
  INSERT INTO deliveries_v13 (kind, question_id, rkk_id, state, attempts, next_attempt_at, last_error, conversation_id, message_id, shown_count, created_at, sent_at, claimed_by, claim_expires_at)
    SELECT kind, question_id, rkk_id, state, attempts, next_attempt_at, last_error, conversation_id, message_id, shown_count, created_at, sent_at, claimed_by, claim_expires_at FROM deliveries;
  DROP TABLE deliveries;
  ALTER TABLE deliveries_v13 RENAME TO deliveries;
  CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
  CREATE INDEX deliveries_thread ON deliveries(message_id);
  CREATE TABLE outbox_v13 (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    entity          TEXT NOT NULL CHECK (entity IN ('question','answer','comment','post','audit','moment','ask','theme')),
    entity_key      TEXT NOT NULL,
    created_at      TEXT NOT NULL
  );
  INSERT INTO outbox_v13 (id, entity, entity_key, created_at) SELECT id, entity, entity_key, created_at FROM outbox;
  DROP TABLE outbox;
  ALTER TABLE outbox_v13 RENAME TO outbox;
  CREATE INDEX outbox_entity ON outbox(entity, entity_key, id);
  -- Replies in a question-for-all-regions thread are comments too, on the ask (question_id: its id).
  CREATE TABLE comments_v13 (
    message_id      TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    question_id     TEXT NOT NULL,
    rkk_id          TEXT NOT NULL,
    author_key      TEXT NOT NULL,
    author_name     TEXT NOT NULL,
    text            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    edited_at       TEXT,
    deleted_at      TEXT,
    PRIMARY KEY (conversation_id, message_id)
  );
  INSERT INTO comments_v13 SELECT message_id, conversation_id, question_id, rkk_id, author_key, author_name, text, created_at, edited_at, deleted_at FROM comments;
  DROP TABLE comments;
  ALTER TABLE comments_v13 RENAME TO comments;
  CREATE INDEX comments_question ON comments(question_id);
  CREATE INDEX comments_author ON comments(author_key);
  `,
  /* 14: members who asked to be reminded before a question of their RKK closes (`herinner mij`); switching off removes the row */ `
  CREATE TABLE reminders (
    member_key      TEXT PRIMARY KEY,
    aad_object_id   TEXT,
    teams_user_id   TEXT NOT NULL,             -- to start a personal chat with them (29:…)
    member_name     TEXT NOT NULL,
    rkk_id          TEXT NOT NULL,             -- whose questions they are reminded of
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    last_error      TEXT,                      -- the last reminder Teams would not take, and why
    failed_at       TEXT
  );
  CREATE INDEX reminders_rkk ON reminders(rkk_id);
  `,
  /* 15: questions members propose (`stel voor`), until a moderator or administrator decides */ `
  CREATE TABLE proposals (
    id                TEXT PRIMARY KEY,
    draft             TEXT NOT NULL,             -- JSON: text, kind, options, theme, scale (as proposed or edited)
    proposer_key      TEXT NOT NULL,
    proposer_name     TEXT NOT NULL,
    proposer_teams_id TEXT NOT NULL,
    rkk_id            TEXT,
    show_name         INTEGER NOT NULL CHECK (show_name IN (0, 1)),
    state             TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    reason            TEXT,
    decided_by        TEXT,
    decided_by_name   TEXT,
    question_id       TEXT UNIQUE,               -- the question it became
    created_at        TEXT NOT NULL,
    decided_at        TEXT
  );
  CREATE INDEX proposals_proposer ON proposals(proposer_key);
  CREATE INDEX proposals_pending ON proposals(state, rkk_id);
  `,
  /* 16: a member who chose an option that means "we did it already" lets colleagues contact them about it (per question, revocable) */ `
  ALTER TABLE answers ADD COLUMN contact_ok INTEGER NOT NULL DEFAULT 0 CHECK (contact_ok IN (0, 1));
  ALTER TABLE answers ADD COLUMN contact_upn TEXT;   -- their sign-in name, for a Teams chat link (asked of Teams when they consent)
  CREATE INDEX answers_contact ON answers(question_id) WHERE contact_ok = 1;
  `,
  /* 17: proposed questions reach SharePoint too (a row in the questions list while they wait or once rejected) */ `
  CREATE TABLE outbox_v17 (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    entity          TEXT NOT NULL CHECK (entity IN ('question','answer','comment','post','audit','moment','ask','theme','proposal')),
    entity_key      TEXT NOT NULL,
    created_at      TEXT NOT NULL
  );
  INSERT INTO outbox_v17 (id, entity, entity_key, created_at) SELECT id, entity, entity_key, created_at FROM outbox;
  DROP TABLE outbox;
  ALTER TABLE outbox_v17 RENAME TO outbox;
  CREATE INDEX outbox_entity ON outbox(entity, entity_key, id);
  `,
  /* 18: a message owed again while it was being sent goes back in line once sent (an approval card decided mid-send) */ `
  ALTER TABLE deliveries ADD COLUMN renew_after_send INTEGER NOT NULL DEFAULT 0 CHECK (renew_after_send IN (0, 1));
  `,
];
