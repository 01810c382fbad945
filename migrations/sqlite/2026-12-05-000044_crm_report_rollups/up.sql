-- What the CRM reports read, kept by triggers in the writing transaction so that every path
-- that writes (the API, imports, merges, direct SQL) keeps it right.

-- Interactions counted per user, day and kind: the managers report reads days, not every
-- call and meeting. `without_result` counts those recorded without a result.
CREATE TABLE crm_interaction_days (
    company_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    day DATE NOT NULL,
    kind TEXT NOT NULL,
    total BIGINT NOT NULL,
    without_result BIGINT NOT NULL,
    PRIMARY KEY (company_id, user_id, day, kind)
) WITHOUT ROWID;
INSERT INTO crm_interaction_days (company_id, user_id, day, kind, total, without_result)
SELECT company_id, user_id, date(occurred_at), kind, COUNT(*), SUM(result IS NULL)
FROM crm_interactions GROUP BY company_id, user_id, date(occurred_at), kind;

CREATE TRIGGER crm_interaction_days_added AFTER INSERT ON crm_interactions
BEGIN
    INSERT INTO crm_interaction_days (company_id, user_id, day, kind, total, without_result)
    VALUES (NEW.company_id, NEW.user_id, date(NEW.occurred_at), NEW.kind, 1, NEW.result IS NULL)
    ON CONFLICT (company_id, user_id, day, kind) DO UPDATE
    SET total = total + 1, without_result = without_result + excluded.without_result;
END;
CREATE TRIGGER crm_interaction_days_removed AFTER DELETE ON crm_interactions
BEGIN
    UPDATE crm_interaction_days
    SET total = total - 1, without_result = without_result - (OLD.result IS NULL)
    WHERE company_id = OLD.company_id AND user_id = OLD.user_id
      AND day = date(OLD.occurred_at) AND kind = OLD.kind;
    DELETE FROM crm_interaction_days
    WHERE company_id = OLD.company_id AND user_id = OLD.user_id
      AND day = date(OLD.occurred_at) AND kind = OLD.kind AND total = 0;
END;
CREATE TRIGGER crm_interaction_days_changed
AFTER UPDATE OF company_id, user_id, occurred_at, kind, result ON crm_interactions
BEGIN
    UPDATE crm_interaction_days
    SET total = total - 1, without_result = without_result - (OLD.result IS NULL)
    WHERE company_id = OLD.company_id AND user_id = OLD.user_id
      AND day = date(OLD.occurred_at) AND kind = OLD.kind;
    DELETE FROM crm_interaction_days
    WHERE company_id = OLD.company_id AND user_id = OLD.user_id
      AND day = date(OLD.occurred_at) AND kind = OLD.kind AND total = 0;
    INSERT INTO crm_interaction_days (company_id, user_id, day, kind, total, without_result)
    VALUES (NEW.company_id, NEW.user_id, date(NEW.occurred_at), NEW.kind, 1, NEW.result IS NULL)
    ON CONFLICT (company_id, user_id, day, kind) DO UPDATE
    SET total = total + 1, without_result = without_result + excluded.without_result;
END;

-- The stages each deal ever entered, sorted and comma-separated, kept from its stage history:
-- the pipeline report groups deals by it instead of reading the history.
ALTER TABLE crm_deals ADD COLUMN reached_stages TEXT NOT NULL DEFAULT '';
UPDATE crm_deals SET reached_stages = COALESCE((
    SELECT group_concat(s, ',') FROM (
        SELECT DISTINCT to_stage_id AS s FROM crm_deal_stages
        WHERE deal_id = crm_deals.id ORDER BY to_stage_id)), '');
CREATE TRIGGER crm_deal_stages_reached_added AFTER INSERT ON crm_deal_stages
BEGIN
    UPDATE crm_deals SET reached_stages = COALESCE((
        SELECT group_concat(s, ',') FROM (
            SELECT DISTINCT to_stage_id AS s FROM crm_deal_stages
            WHERE deal_id = NEW.deal_id ORDER BY to_stage_id)), '')
    WHERE id = NEW.deal_id;
END;
CREATE TRIGGER crm_deal_stages_reached_removed AFTER DELETE ON crm_deal_stages
BEGIN
    UPDATE crm_deals SET reached_stages = COALESCE((
        SELECT group_concat(s, ',') FROM (
            SELECT DISTINCT to_stage_id AS s FROM crm_deal_stages
            WHERE deal_id = OLD.deal_id ORDER BY to_stage_id)), '')
    WHERE id = OLD.deal_id;
END;

-- Both reports read deals from an index alone: the pipeline by creation, managers by close.
CREATE INDEX crm_deals_pipeline_idx
    ON crm_deals (company_id, created_at, owner_id, status, stage_id, value, reached_stages);
CREATE INDEX crm_deals_closed_idx
    ON crm_deals (company_id, closed_at, owner_id, status, value, created_at);

-- The flags below look a partner's contacts up by partner and channel: one index holds
-- both, so no planner (SQLite without ANALYZE, PostgreSQL without statistics) reaches for the
-- (channel, normalized) index and walks every phone of the company instead.
DROP INDEX partner_contacts_partner_idx;
CREATE INDEX partner_contacts_partner_idx ON partner_contacts (partner_id, channel);

-- Whether a customer card has a phone, an e-mail and contact people, kept from the partner's
-- contacts and the card's people (those not removed): the data-quality counts read the cards
-- alone.
ALTER TABLE crm_customers ADD COLUMN has_phone BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE crm_customers ADD COLUMN has_email BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE crm_customers ADD COLUMN has_contacts BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE crm_customers SET
    has_phone = EXISTS (SELECT 1 FROM partner_contacts
        WHERE partner_id = crm_customers.partner_id AND channel = 'phone'),
    has_email = EXISTS (SELECT 1 FROM partner_contacts
        WHERE partner_id = crm_customers.partner_id AND channel = 'email'),
    has_contacts = EXISTS (SELECT 1 FROM crm_contacts
        WHERE customer_id = crm_customers.partner_id AND removed_at IS NULL);
CREATE TRIGGER crm_customers_has_added AFTER INSERT ON crm_customers
BEGIN
    UPDATE crm_customers SET
        has_phone = EXISTS (SELECT 1 FROM partner_contacts
            WHERE partner_id = NEW.partner_id AND channel = 'phone'),
        has_email = EXISTS (SELECT 1 FROM partner_contacts
            WHERE partner_id = NEW.partner_id AND channel = 'email'),
        has_contacts = EXISTS (SELECT 1 FROM crm_contacts
            WHERE customer_id = NEW.partner_id AND removed_at IS NULL)
    WHERE partner_id = NEW.partner_id;
END;
CREATE TRIGGER partner_contacts_has_added AFTER INSERT ON partner_contacts
BEGIN
    UPDATE crm_customers SET
        has_phone = EXISTS (SELECT 1 FROM partner_contacts
            WHERE partner_id = NEW.partner_id AND channel = 'phone'),
        has_email = EXISTS (SELECT 1 FROM partner_contacts
            WHERE partner_id = NEW.partner_id AND channel = 'email')
    WHERE partner_id = NEW.partner_id;
END;
CREATE TRIGGER partner_contacts_has_removed AFTER DELETE ON partner_contacts
BEGIN
    UPDATE crm_customers SET
        has_phone = EXISTS (SELECT 1 FROM partner_contacts
            WHERE partner_id = OLD.partner_id AND channel = 'phone'),
        has_email = EXISTS (SELECT 1 FROM partner_contacts
            WHERE partner_id = OLD.partner_id AND channel = 'email')
    WHERE partner_id = OLD.partner_id;
END;
CREATE TRIGGER partner_contacts_has_changed AFTER UPDATE OF partner_id, channel ON partner_contacts
BEGIN
    UPDATE crm_customers SET
        has_phone = EXISTS (SELECT 1 FROM partner_contacts
            WHERE partner_id = OLD.partner_id AND channel = 'phone'),
        has_email = EXISTS (SELECT 1 FROM partner_contacts
            WHERE partner_id = OLD.partner_id AND channel = 'email')
    WHERE partner_id = OLD.partner_id;
    UPDATE crm_customers SET
        has_phone = EXISTS (SELECT 1 FROM partner_contacts
            WHERE partner_id = NEW.partner_id AND channel = 'phone'),
        has_email = EXISTS (SELECT 1 FROM partner_contacts
            WHERE partner_id = NEW.partner_id AND channel = 'email')
    WHERE partner_id = NEW.partner_id;
END;
CREATE TRIGGER crm_contacts_has_added AFTER INSERT ON crm_contacts
BEGIN
    UPDATE crm_customers SET has_contacts = EXISTS (SELECT 1 FROM crm_contacts
        WHERE customer_id = NEW.customer_id AND removed_at IS NULL)
    WHERE partner_id = NEW.customer_id;
END;
CREATE TRIGGER crm_contacts_has_removed AFTER DELETE ON crm_contacts
BEGIN
    UPDATE crm_customers
    SET has_contacts = EXISTS (SELECT 1 FROM crm_contacts
        WHERE customer_id = OLD.customer_id AND removed_at IS NULL)
    WHERE partner_id = OLD.customer_id;
END;
CREATE TRIGGER crm_contacts_has_changed AFTER UPDATE OF customer_id, removed_at ON crm_contacts
BEGIN
    UPDATE crm_customers
    SET has_contacts = EXISTS (SELECT 1 FROM crm_contacts
        WHERE customer_id = OLD.customer_id AND removed_at IS NULL)
    WHERE partner_id = OLD.customer_id;
    UPDATE crm_customers SET has_contacts = EXISTS (SELECT 1 FROM crm_contacts
        WHERE customer_id = NEW.customer_id AND removed_at IS NULL)
    WHERE partner_id = NEW.customer_id;
END;
CREATE INDEX crm_customers_quality_idx
    ON crm_customers (company_id, owner_id, has_phone, has_email, has_contacts);

