-- What changed on a deal besides its stage (title, value, currency, expected close, owner):
-- one row per field and change, with who and when, shown on the deal's history.
CREATE TABLE crm_deal_changes (
    id TEXT PRIMARY KEY NOT NULL,
    deal_id TEXT NOT NULL REFERENCES crm_deals (id),
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    changed_at TIMESTAMP NOT NULL,
    user_id TEXT NOT NULL
);
CREATE INDEX crm_deal_changes_deal ON crm_deal_changes (deal_id, changed_at);

-- Contact people are corrected with If-Match like every other record.
ALTER TABLE crm_contacts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE crm_contacts ADD COLUMN updated_at TIMESTAMP;
-- A contact person removed from the card: gone from it, their phone, e-mail and notes
-- erased, their name kept for the meetings and calls that name them.
ALTER TABLE crm_contacts ADD COLUMN removed_at TIMESTAMP;
