-- Quotes from deals, teams with their lead, documents attached to CRM records, the
-- customer portal and customer notifications through message templates.

CREATE TABLE crm_quotes (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    number TEXT NOT NULL,
    deal_id TEXT NOT NULL REFERENCES crm_deals (id),
    customer_id TEXT NOT NULL REFERENCES crm_customers (partner_id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'accepted', 'rejected', 'ordered')),
    currency TEXT NOT NULL,
    valid_until DATE,
    -- Money ×10^4.
    total BIGINT NOT NULL,
    notes TEXT,
    order_id TEXT REFERENCES crm_sales_orders (id),
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, number)
);
CREATE INDEX crm_quotes_deal_idx ON crm_quotes (deal_id);
CREATE INDEX crm_quotes_customer_idx ON crm_quotes (customer_id);

CREATE TABLE crm_quote_lines (
    id TEXT PRIMARY KEY NOT NULL,
    quote_id TEXT NOT NULL REFERENCES crm_quotes (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    item_id TEXT NOT NULL REFERENCES items (id),
    -- Qty ×10^6, Price ×10^6, percent ×10^6, Money ×10^4.
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
    discount_percent BIGINT NOT NULL,
    line_total BIGINT NOT NULL,
    UNIQUE (quote_id, line_no)
);

-- A team lead reaches the customers, deals and tasks of the team's members.
CREATE TABLE crm_teams (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    lead_id TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, name)
);
CREATE INDEX crm_teams_lead_idx ON crm_teams (lead_id);

CREATE TABLE crm_team_members (
    team_id TEXT NOT NULL REFERENCES crm_teams (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX crm_team_members_user_idx ON crm_team_members (user_id);

-- Lead assignment may draw from one team's members instead of a fixed list.
ALTER TABLE crm_assignment ADD COLUMN team_id TEXT REFERENCES crm_teams (id);

-- Files attached to customers, deals, orders and tickets.
CREATE TABLE crm_documents (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    entity_type TEXT NOT NULL CHECK (entity_type IN ('customer', 'deal', 'order', 'ticket')),
    entity_id TEXT NOT NULL,
    -- The customer the record belongs to: access follows the customer.
    customer_id TEXT NOT NULL REFERENCES crm_customers (partner_id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX crm_documents_entity_idx ON crm_documents (entity_type, entity_id);

-- Customer portal accounts: they see one customer's orders and tickets, nothing else.
CREATE TABLE crm_portal_accounts (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    customer_id TEXT NOT NULL REFERENCES crm_customers (partner_id),
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    last_login_at TIMESTAMP,
    -- Wrong passwords in a row; at 5 the account is locked for 15 minutes.
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX crm_portal_accounts_customer_idx ON crm_portal_accounts (customer_id);

-- What a customer is told when something happens to their order.
CREATE TABLE crm_message_templates (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    event TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    subject TEXT,
    body TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, event, channel)
);

-- Every message rendered for a customer; sent through the outbox to the gateway.
CREATE TABLE crm_notifications (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    customer_id TEXT NOT NULL REFERENCES crm_customers (partner_id),
    order_id TEXT REFERENCES crm_sales_orders (id),
    event TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT,
    subject TEXT,
    body TEXT NOT NULL,
    -- The outbox event carrying it to the gateway; NULL when it was skipped, with the reason.
    outbox_id TEXT REFERENCES crm_outbox (id),
    skipped_reason TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX crm_notifications_customer_idx ON crm_notifications (customer_id, created_at);

-- The managers report counts calls and meetings per user and kind from the index alone, and
-- finds past meetings without their result among the interactions that have none.
DROP INDEX crm_interactions_user_idx;
CREATE INDEX crm_interactions_user_kind_idx ON crm_interactions (company_id, user_id, kind, occurred_at);
CREATE INDEX crm_interactions_no_result_idx ON crm_interactions (company_id, user_id, kind, occurred_at)
    WHERE result IS NULL;
