DROP INDEX crm_deals_closed_idx;
DROP INDEX crm_deals_pipeline_idx;
DROP TRIGGER crm_deal_stages_reached_removed;
DROP TRIGGER crm_deal_stages_reached_added;
ALTER TABLE crm_deals DROP COLUMN reached_stages;
DROP TRIGGER crm_interaction_days_changed;
DROP TRIGGER crm_interaction_days_removed;
DROP TRIGGER crm_interaction_days_added;
DROP TABLE crm_interaction_days;
