-- The managers report counts today's meetings and visits without a result for every manager
-- at once: a range of time across users, which the (company, user, kind, time) index can
-- only answer by reading every interaction without a result. This one reads today's.
CREATE INDEX crm_interactions_no_result_at_idx ON crm_interactions (company_id, occurred_at)
    WHERE result IS NULL;
