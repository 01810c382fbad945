DROP TABLE crm_notifications;
DROP TABLE crm_message_templates;
DROP TABLE crm_portal_accounts;
DROP TABLE crm_documents;
ALTER TABLE crm_assignment DROP COLUMN team_id;
DROP TABLE crm_team_members;
DROP TABLE crm_teams;
DROP TABLE crm_quote_lines;
DROP TABLE crm_quotes;
