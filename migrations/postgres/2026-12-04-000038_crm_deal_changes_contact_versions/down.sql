ALTER TABLE crm_contacts DROP COLUMN removed_at;
ALTER TABLE crm_contacts DROP COLUMN updated_at;
ALTER TABLE crm_contacts DROP COLUMN version;
DROP TABLE crm_deal_changes;
