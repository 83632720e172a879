/**
 * PostgreSQL's versioned schema. Append only: never edit a migration that has shipped.
 * The applied version lives in `kenniskring_schema`; instances starting together migrate once
 * (an advisory lock), and a schema newer than this build refuses to start (see schema.ts).
 *
 * Version 1 is the SQLite store's schema at its version 6, in PostgreSQL's own types: times are
 * timestamptz, flags boolean, lists jsonb. Identifiers compare byte by byte (COLLATE "C"), as in SQLite.
 */
export const PG_MIGRATIONS: readonly string[] = [
  /* 1: the store as SQLite has it at version 6 */ `
  CREATE TABLE rkks (
    id               text COLLATE "C" PRIMARY KEY,   -- the Teams team id
    name             text NOT NULL,
    team_id          text NOT NULL,
    aad_group_id     text,
    channel_id       text NOT NULL,
    tenant_id        text,
    service_url      text NOT NULL,
    conversation_ref jsonb NOT NULL,
    active           boolean NOT NULL DEFAULT true,
    greeting         text CHECK (greeting IN ('sending', 'sent')),
    registered_at    timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    deactivated_at   timestamptz
  );
  CREATE INDEX rkks_group ON rkks(aad_group_id);

  CREATE TABLE personal_chats (
    member_key       text COLLATE "C" PRIMARY KEY,
    conversation_ref jsonb NOT NULL,
    updated_at       timestamptz NOT NULL
  );

  CREATE TABLE questions (
    id               text COLLATE "C" PRIMARY KEY,
    text             text NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('single', 'multiple', 'scale', 'open')),
    options          jsonb NOT NULL,
    scale_low        text,
    scale_high       text,
    allow_comment    boolean NOT NULL,
    anonymous        boolean NOT NULL DEFAULT false,
    theme            text NOT NULL,
    targets          jsonb NOT NULL,
    week             text,
    queue_order      integer NOT NULL DEFAULT 0,
    publish_at       timestamptz,
    closes_at        timestamptz,
    closed_at        timestamptz,
    source           text NOT NULL,
    created_by       text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
  );
  CREATE INDEX questions_week ON questions(week);
  CREATE INDEX questions_publish ON questions(publish_at);

  CREATE TABLE question_salts (
    question_id      text COLLATE "C" PRIMARY KEY REFERENCES questions(id),
    salt             text NOT NULL
  );

  CREATE TABLE deliveries (
    kind             text NOT NULL CHECK (kind IN ('question', 'results')),
    question_id      text COLLATE "C" NOT NULL REFERENCES questions(id),
    rkk_id           text COLLATE "C" NOT NULL REFERENCES rkks(id),
    state            text NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    conversation_id  text,
    message_id       text,
    shown_count      integer,
    created_at       timestamptz NOT NULL,
    sent_at          timestamptz,
    PRIMARY KEY (kind, question_id, rkk_id)
  );
  CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
  CREATE INDEX deliveries_thread ON deliveries(message_id);

  CREATE TABLE answers (
    question_id      text COLLATE "C" NOT NULL REFERENCES questions(id),
    member_key       text COLLATE "C" NOT NULL,
    aad_object_id    text,
    teams_user_id    text NOT NULL,
    member_name      text NOT NULL,
    rkk_id           text COLLATE "C",
    choices          jsonb NOT NULL,
    text             text,
    comment          text,
    answered_at      timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    revision         integer NOT NULL DEFAULT 1,
    PRIMARY KEY (question_id, member_key)
  );
  CREATE INDEX answers_member ON answers(member_key);
  CREATE INDEX answers_updated ON answers(updated_at);

  CREATE TABLE answer_tallies (
    question_id      text COLLATE "C" NOT NULL,
    rkk_id           text COLLATE "C" NOT NULL,      -- '' for answers given outside an RKK
    option_id        text COLLATE "C" NOT NULL,      -- an option, or '#respondents' / '#comments'
    n                integer NOT NULL,
    PRIMARY KEY (question_id, rkk_id, option_id)
  );

  CREATE TABLE comments (
    message_id       text COLLATE "C" NOT NULL,
    conversation_id  text COLLATE "C" NOT NULL,
    question_id      text COLLATE "C" NOT NULL REFERENCES questions(id),
    rkk_id           text COLLATE "C" NOT NULL,
    author_key       text COLLATE "C" NOT NULL,
    author_name      text NOT NULL,
    text             text NOT NULL,
    created_at       timestamptz NOT NULL,
    edited_at        timestamptz,
    deleted_at       timestamptz,
    PRIMARY KEY (conversation_id, message_id)
  );
  CREATE INDEX comments_question ON comments(question_id);
  CREATE INDEX comments_author ON comments(author_key);

  CREATE TABLE moderators (
    rkk_id           text COLLATE "C" NOT NULL REFERENCES rkks(id),
    member_key       text COLLATE "C" NOT NULL,
    added_by         text NOT NULL,
    added_at         timestamptz NOT NULL,
    PRIMARY KEY (rkk_id, member_key)
  );

  CREATE TABLE outbox (
    id               bigserial PRIMARY KEY,
    entity           text NOT NULL CHECK (entity IN ('question', 'answer', 'comment', 'post', 'audit')),
    entity_key       text COLLATE "C" NOT NULL,
    created_at       timestamptz NOT NULL
  );
  CREATE INDEX outbox_entity ON outbox(entity, entity_key, id);

  CREATE TABLE sp_items (
    entity           text NOT NULL,
    entity_key       text COLLATE "C" NOT NULL,
    item_id          text NOT NULL,
    synced_at        timestamptz NOT NULL,
    PRIMARY KEY (entity, entity_key)
  );

  CREATE TABLE sync_parked (
    entity           text NOT NULL,
    entity_key       text COLLATE "C" NOT NULL,
    error            text NOT NULL,
    parked_at        timestamptz NOT NULL,
    PRIMARY KEY (entity, entity_key)
  );

  CREATE TABLE sp_question_rows (
    item_id          text COLLATE "C" PRIMARY KEY,
    question_id      text,
    content_hash     text NOT NULL,
    status           text NOT NULL,
    seen_at          timestamptz NOT NULL
  );

  CREATE TABLE audit_log (
    id               bigserial PRIMARY KEY,
    at               timestamptz NOT NULL,
    actor_key        text NOT NULL,
    actor_name       text NOT NULL,
    action           text NOT NULL,
    target           text,
    details          text
  );
  `,
  /* 2: instances and the lease on the background work (one leader at a time) */ `
  CREATE TABLE leases (
    name             text COLLATE "C" PRIMARY KEY,   -- 'leader'
    holder           text COLLATE "C" NOT NULL,      -- the instance id
    since            timestamptz NOT NULL,           -- held by this holder since
    expires_at       timestamptz NOT NULL
  );
  CREATE TABLE instances (
    id               text COLLATE "C" PRIMARY KEY,
    started_at       timestamptz NOT NULL,
    seen_at          timestamptz NOT NULL,
    alive_until      timestamptz NOT NULL
  );
  `,
  /* 3: an answer, its tally and its outbox row in one round trip (the hot path: every submit) */ upsertAnswerFunction(false),
  /* 4: claims: a delivery being sent, and an entity being written to SharePoint, belong to one instance until a moment (a crashed one's claim runs out, a live one's is left alone) */ `
  ALTER TABLE deliveries ADD COLUMN claimed_by text, ADD COLUMN claim_expires_at timestamptz;
  CREATE TABLE outbox_claims (
    entity          text NOT NULL COLLATE "C",
    entity_key      text NOT NULL COLLATE "C",
    claimed_by      text NOT NULL,
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (entity, entity_key)
  );
  `,
  /* 5: a resubmit from the blank shared card keeps the stored comment (p_keep_comment), in the same round trip */
  `DROP FUNCTION kk_upsert_answer(text, text, text, text, text, text, jsonb, text, text, timestamptz, text, text);\n${upsertAnswerFunction(true)}`,
  /* 6: an RKK speaks a language (Dutch unless set otherwise); a question may carry an English text */ `
  ALTER TABLE rkks ADD COLUMN lang text NOT NULL DEFAULT 'nl' CHECK (lang IN ('nl', 'en'));
  ALTER TABLE questions ADD COLUMN translations jsonb NOT NULL DEFAULT '{}'::jsonb;
  `,
  /* 7: more messages owed: the digest per (question, RKK) after the close; the weekly recurring themes in RKK Overkoepelend, keyed "themes:<week>" (so question_id no longer always names a question) */ `
  ALTER TABLE deliveries DROP CONSTRAINT deliveries_kind_check;
  ALTER TABLE deliveries ADD CONSTRAINT deliveries_kind_check CHECK (kind IN ('question', 'results', 'digest', 'themes'));
  ALTER TABLE deliveries DROP CONSTRAINT deliveries_question_id_fkey;
  `,
  /* 8: explanations a moderator highlights for the other regions (the digest shows them there) */ `
  CREATE TABLE highlights (
    question_id      text NOT NULL REFERENCES questions(id),
    rkk_id           text NOT NULL REFERENCES rkks(id),
    member_key       text NOT NULL,
    comment          text NOT NULL,
    marked_by        text NOT NULL,
    marked_at        timestamptz NOT NULL,
    PRIMARY KEY (question_id, member_key)
  );
  `,
  /* 9: one team can be RKK Overkoepelend: it gets no question meant for all RKKs, only those that name it */ `
  ALTER TABLE rkks ADD COLUMN overarching boolean NOT NULL DEFAULT false;
  `,
  /*
   * 10: knowledge moments, each announced in every RKK; questions for all regions, approved by an
   * administrator and asked in RKK Overkoepelend; personal messages owed to a member (`notice`:
   * rkk_id then holds the member's key, so it no longer always names an RKK)
   */ `
  CREATE TABLE moments (
    id               text COLLATE "C" PRIMARY KEY,
    title            text NOT NULL,
    starts_at        timestamptz NOT NULL,
    location         text NOT NULL,
    description      text NOT NULL,
    theme            text,
    source           text NOT NULL CHECK (source IN ('bot', 'sharepoint')),
    created_by       text,
    created_by_name  text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
  );
  CREATE INDEX moments_starts ON moments(starts_at);
  CREATE TABLE asks (
    id               text COLLATE "C" PRIMARY KEY,
    text             text NOT NULL,
    asker_key        text NOT NULL,
    asker_name       text NOT NULL,
    asker_teams_id   text NOT NULL,
    asker_rkk_id     text,
    state            text NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    reason           text,
    decided_by       text,
    decided_by_name  text,
    created_at       timestamptz NOT NULL,
    decided_at       timestamptz,
    told_replies     integer NOT NULL DEFAULT 0,
    told_at          timestamptz
  );
  CREATE INDEX asks_asker ON asks(asker_key);
  CREATE TABLE theme_weeks (
    week             text COLLATE "C" PRIMARY KEY,
    themes           jsonb NOT NULL,
    recorded_at      timestamptz NOT NULL
  );
  ALTER TABLE deliveries DROP CONSTRAINT deliveries_kind_check;
  ALTER TABLE deliveries ADD CONSTRAINT deliveries_kind_check CHECK (kind IN ('question', 'results', 'digest', 'themes', 'moment', 'ask', 'notice'));
  ALTER TABLE deliveries DROP CONSTRAINT deliveries_rkk_id_fkey;
  ALTER TABLE outbox DROP CONSTRAINT outbox_entity_check;
  ALTER TABLE outbox ADD CONSTRAINT outbox_entity_check CHECK (entity IN ('question', 'answer', 'comment', 'post', 'audit', 'moment', 'ask', 'theme'));
  -- Replies in a question-for-all-regions thread are comments too, on the ask (question_id: its id).
  ALTER TABLE comments DROP CONSTRAINT comments_question_id_fkey;
  `,
  /* 11: members who asked to be reminded before a question of their RKK closes (`herinner mij`); switching off removes the row */ `
  CREATE TABLE reminders (
    member_key       text COLLATE "C" PRIMARY KEY,
    aad_object_id    text,
    teams_user_id    text NOT NULL,
    member_name      text NOT NULL,
    rkk_id           text COLLATE "C" NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    last_error       text,
    failed_at        timestamptz
  );
  CREATE INDEX reminders_rkk ON reminders(rkk_id);
  `,
  /* 12: questions members propose (`stel voor`), until a moderator or administrator decides */ `
  CREATE TABLE proposals (
    id                text COLLATE "C" PRIMARY KEY,
    draft             jsonb NOT NULL,
    proposer_key      text COLLATE "C" NOT NULL,
    proposer_name     text NOT NULL,
    proposer_teams_id text NOT NULL,
    rkk_id            text COLLATE "C",
    show_name         boolean NOT NULL,
    state             text NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    reason            text,
    decided_by        text,
    decided_by_name   text,
    question_id       text COLLATE "C" UNIQUE,
    created_at        timestamptz NOT NULL,
    decided_at        timestamptz
  );
  CREATE INDEX proposals_proposer ON proposals(proposer_key);
  CREATE INDEX proposals_pending ON proposals(state, rkk_id);
  `,
  /* 13: a member who chose an option that means "we did it already" lets colleagues contact them about it (per question, revocable) */ `
  ALTER TABLE answers ADD COLUMN contact_ok boolean NOT NULL DEFAULT false;
  ALTER TABLE answers ADD COLUMN contact_upn text;
  CREATE INDEX answers_contact ON answers(question_id) WHERE contact_ok;
  `,
  /* 14: proposed questions reach SharePoint too (a row in the questions list while they wait or once rejected) */ `
  ALTER TABLE outbox DROP CONSTRAINT outbox_entity_check;
  ALTER TABLE outbox ADD CONSTRAINT outbox_entity_check CHECK (entity IN ('question', 'answer', 'comment', 'post', 'audit', 'moment', 'ask', 'theme', 'proposal'));
  `,
  /* 15: a message owed again while it was being sent goes back in line once sent (an approval card decided mid-send) */ `
  ALTER TABLE deliveries ADD COLUMN renew_after_send BOOLEAN NOT NULL DEFAULT FALSE;
  `,
];

/**
 * kk_upsert_answer: an answer, its tally and its outbox row in one round trip (the hot path: every
 * submit). Migration 3 made it; migration 5 adds `p_keep_comment` (an absent comment keeps the stored
 * one, for a resubmit from the blank shared card) with the same body otherwise.
 */
function upsertAnswerFunction(keepComment: boolean): string {
  return `
  CREATE FUNCTION kk_upsert_answer(
    p_question text, p_member text, p_aad text, p_teams_user text, p_name text, p_rkk text,
    p_choices jsonb, p_text text, p_comment text, p_now timestamptz, p_lock text, p_outbox_key text${keepComment ? ', p_keep_comment boolean' : ''}
  ) RETURNS SETOF answers LANGUAGE plpgsql AS $fn$
  DECLARE
    b answers%ROWTYPE;
    had boolean;
    a answers%ROWTYPE;
  BEGIN
    -- Two submits of one member take turns; the row lock makes an erase elsewhere wait too.
    PERFORM pg_advisory_xact_lock(hashtextextended(p_lock, 0));
    SELECT * INTO b FROM answers WHERE question_id = p_question AND member_key = p_member FOR UPDATE;
    had := FOUND;
    INSERT INTO answers (question_id, member_key, aad_object_id, teams_user_id, member_name, rkk_id, choices, text, comment, answered_at, updated_at)
    VALUES (p_question, p_member, p_aad, p_teams_user, p_name, p_rkk, p_choices, p_text, p_comment, p_now, p_now)
    ON CONFLICT (question_id, member_key) DO UPDATE SET
      aad_object_id = excluded.aad_object_id, teams_user_id = excluded.teams_user_id, member_name = excluded.member_name,
      rkk_id = excluded.rkk_id, choices = excluded.choices, text = excluded.text, comment = ${keepComment ? 'CASE WHEN p_keep_comment AND excluded.comment IS NULL THEN answers.comment ELSE excluded.comment END' : 'excluded.comment'},
      updated_at = excluded.updated_at, revision = answers.revision + 1
    RETURNING * INTO a;
    -- The tally moves from the earlier answer to this one; rows are touched in one fixed order.
    INSERT INTO answer_tallies (question_id, rkk_id, option_id, n)
    SELECT p_question, d.rkk, d.opt, SUM(d.n)::integer FROM (
        SELECT COALESCE(b.rkk_id, '') AS rkk, o.v AS opt, -1 AS n FROM jsonb_array_elements_text(CASE WHEN had THEN b.choices ELSE '[]'::jsonb END) AS o(v)
        UNION ALL SELECT COALESCE(b.rkk_id, ''), '#respondents', -1 WHERE had
        UNION ALL SELECT COALESCE(b.rkk_id, ''), '#comments', -1 WHERE had AND COALESCE(b.comment, '') <> ''
        UNION ALL SELECT COALESCE(a.rkk_id, ''), o.v, 1 FROM jsonb_array_elements_text(a.choices) AS o(v)
        UNION ALL SELECT COALESCE(a.rkk_id, ''), '#respondents', 1
        UNION ALL SELECT COALESCE(a.rkk_id, ''), '#comments', 1 WHERE COALESCE(a.comment, '') <> ''
      ) d
    GROUP BY d.rkk, d.opt HAVING SUM(d.n) <> 0
    ORDER BY d.rkk COLLATE "C", d.opt COLLATE "C"
    ON CONFLICT (question_id, rkk_id, option_id) DO UPDATE SET n = answer_tallies.n + excluded.n;
    INSERT INTO outbox (entity, entity_key, created_at) VALUES ('answer', p_outbox_key, p_now);
    RETURN NEXT a;
  END
  $fn$;
  `;
}
