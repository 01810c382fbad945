DROP INDEX crm_deals_closed_idx;
DROP INDEX crm_deals_pipeline_idx;
DROP TRIGGER crm_deal_stages_reached_kept ON crm_deal_stages;
DROP FUNCTION crm_deal_reached_stages_keep();
ALTER TABLE crm_deals DROP COLUMN reached_stages;
DROP TRIGGER crm_interaction_days_kept ON crm_interactions;
DROP FUNCTION crm_interaction_days_keep();
DROP TABLE crm_interaction_days;
