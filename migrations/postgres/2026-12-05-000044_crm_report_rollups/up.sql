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
);
INSERT INTO crm_interaction_days (company_id, user_id, day, kind, total, without_result)
SELECT company_id, user_id, occurred_at::date, kind, COUNT(*), SUM((result IS NULL)::int)
FROM crm_interactions GROUP BY company_id, user_id, occurred_at::date, kind;

CREATE FUNCTION crm_interaction_days_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE crm_interaction_days
        SET total = total - 1, without_result = without_result - (OLD.result IS NULL)::int
        WHERE company_id = OLD.company_id AND user_id = OLD.user_id
          AND day = OLD.occurred_at::date AND kind = OLD.kind;
        DELETE FROM crm_interaction_days
        WHERE company_id = OLD.company_id AND user_id = OLD.user_id
          AND day = OLD.occurred_at::date AND kind = OLD.kind AND total = 0;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO crm_interaction_days (company_id, user_id, day, kind, total, without_result)
        VALUES (NEW.company_id, NEW.user_id, NEW.occurred_at::date, NEW.kind, 1,
                (NEW.result IS NULL)::int)
        ON CONFLICT (company_id, user_id, day, kind) DO UPDATE
        SET total = crm_interaction_days.total + 1,
            without_result = crm_interaction_days.without_result + EXCLUDED.without_result;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER crm_interaction_days_kept
    AFTER INSERT OR DELETE OR UPDATE OF company_id, user_id, occurred_at, kind, result
    ON crm_interactions FOR EACH ROW EXECUTE FUNCTION crm_interaction_days_keep();

-- The stages each deal ever entered, sorted and comma-separated, kept from its stage history:
-- the pipeline report groups deals by it instead of reading the history.
ALTER TABLE crm_deals ADD COLUMN reached_stages TEXT NOT NULL DEFAULT '';
UPDATE crm_deals SET reached_stages = COALESCE((
    SELECT string_agg(DISTINCT to_stage_id, ',' ORDER BY to_stage_id) FROM crm_deal_stages
    WHERE deal_id = crm_deals.id), '');
CREATE FUNCTION crm_deal_reached_stages_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    deal TEXT := CASE WHEN TG_OP = 'DELETE' THEN OLD.deal_id ELSE NEW.deal_id END;
BEGIN
    UPDATE crm_deals SET reached_stages = COALESCE((
        SELECT string_agg(DISTINCT to_stage_id, ',' ORDER BY to_stage_id) FROM crm_deal_stages
        WHERE deal_id = deal), '')
    WHERE id = deal;
    RETURN NULL;
END
$$;
CREATE TRIGGER crm_deal_stages_reached_kept AFTER INSERT OR DELETE ON crm_deal_stages
    FOR EACH ROW EXECUTE FUNCTION crm_deal_reached_stages_keep();

-- Both reports read deals from an index: the pipeline by creation, managers by close. (The
-- reached stages stay out of the index here: PostgreSQL caps an index entry's size.)
CREATE INDEX crm_deals_pipeline_idx
    ON crm_deals (company_id, created_at, owner_id, status, stage_id, value);
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
CREATE FUNCTION crm_customer_has_channels(partner TEXT) RETURNS void LANGUAGE sql AS $$
    UPDATE crm_customers SET
        has_phone = EXISTS (SELECT 1 FROM partner_contacts
            WHERE partner_id = partner AND channel = 'phone'),
        has_email = EXISTS (SELECT 1 FROM partner_contacts
            WHERE partner_id = partner AND channel = 'email')
    WHERE partner_id = partner;
$$;
CREATE FUNCTION crm_customer_has_contacts(customer TEXT) RETURNS void LANGUAGE sql AS $$
    UPDATE crm_customers
    SET has_contacts = EXISTS (SELECT 1 FROM crm_contacts
        WHERE customer_id = customer AND removed_at IS NULL)
    WHERE partner_id = customer;
$$;
CREATE FUNCTION crm_customers_has_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.has_phone := EXISTS (SELECT 1 FROM partner_contacts
        WHERE partner_id = NEW.partner_id AND channel = 'phone');
    NEW.has_email := EXISTS (SELECT 1 FROM partner_contacts
        WHERE partner_id = NEW.partner_id AND channel = 'email');
    NEW.has_contacts := EXISTS (SELECT 1 FROM crm_contacts
            WHERE customer_id = NEW.partner_id AND removed_at IS NULL);
    RETURN NEW;
END
$$;
CREATE TRIGGER crm_customers_has_kept BEFORE INSERT ON crm_customers
    FOR EACH ROW EXECUTE FUNCTION crm_customers_has_keep();
CREATE FUNCTION partner_contacts_has_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM crm_customer_has_channels(OLD.partner_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM crm_customer_has_channels(NEW.partner_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER partner_contacts_has_kept
    AFTER INSERT OR DELETE OR UPDATE OF partner_id, channel ON partner_contacts
    FOR EACH ROW EXECUTE FUNCTION partner_contacts_has_keep();
CREATE FUNCTION crm_contacts_has_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM crm_customer_has_contacts(OLD.customer_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM crm_customer_has_contacts(NEW.customer_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER crm_contacts_has_kept
    AFTER INSERT OR DELETE OR UPDATE OF customer_id, removed_at ON crm_contacts
    FOR EACH ROW EXECUTE FUNCTION crm_contacts_has_keep();
CREATE INDEX crm_customers_quality_idx
    ON crm_customers (company_id, owner_id, has_phone, has_email, has_contacts);

