DROP TABLE crm_tasks;
DROP TABLE crm_deal_stages;
DROP TABLE crm_deals;
DROP TABLE crm_stages;
DROP TABLE crm_interactions;
DROP TABLE crm_call_outcomes;
DROP TABLE crm_contacts;
DROP TABLE crm_customers;
