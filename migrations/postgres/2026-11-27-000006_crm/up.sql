-- CRM: the customer card on a business partner, contact people, interactions, the sales
-- pipeline (stages, deals and their stage history) and tasks. Money is ×10^4, probabilities
-- are percent ×10^6.

CREATE TABLE crm_customers (
    partner_id TEXT PRIMARY KEY NOT NULL REFERENCES partners (id),
    company_id TEXT NOT NULL REFERENCES companies (id),
    status TEXT NOT NULL CHECK (status IN ('lead', 'prospect', 'customer', 'inactive', 'lost')),
    source TEXT,
    owner_id TEXT REFERENCES users (id),
    segment TEXT,
    region TEXT,
    -- JSON: an array of tags, an object of free "what we know" attributes.
    tags TEXT NOT NULL,
    attributes TEXT NOT NULL,
    last_contact_at TIMESTAMP,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX crm_customers_owner_idx ON crm_customers (company_id, owner_id);
CREATE INDEX crm_customers_status_idx ON crm_customers (company_id, status);

CREATE TABLE crm_contacts (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES crm_customers (partner_id),
    name TEXT NOT NULL,
    job_title TEXT,
    phone TEXT,
    phone_normalized TEXT,
    email TEXT,
    email_normalized TEXT,
    notes TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX crm_contacts_customer_idx ON crm_contacts (customer_id);
CREATE INDEX crm_contacts_phone_idx ON crm_contacts (phone_normalized);

-- The outcomes a call may have, per company (seeded with accepted, done, call back, not
-- interested on first use).
CREATE TABLE crm_call_outcomes (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE crm_interactions (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    customer_id TEXT NOT NULL REFERENCES crm_customers (partner_id),
    kind TEXT NOT NULL CHECK (kind IN ('call', 'meeting', 'email', 'note', 'visit')),
    occurred_at TIMESTAMP NOT NULL,
    user_id TEXT NOT NULL,
    contact_id TEXT REFERENCES crm_contacts (id),
    direction TEXT CHECK (direction IN ('inbound', 'outbound')),
    duration_seconds INTEGER,
    outcome TEXT,
    topic TEXT,
    result TEXT,
    body TEXT,
    deal_id TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX crm_interactions_customer_idx ON crm_interactions (customer_id, occurred_at);
CREATE INDEX crm_interactions_user_idx ON crm_interactions (company_id, user_id, occurred_at);

CREATE TABLE crm_stages (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    probability BIGINT NOT NULL CHECK (probability >= 0 AND probability <= 100000000),
    kind TEXT NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
    UNIQUE (company_id, code)
);

CREATE TABLE crm_deals (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    customer_id TEXT NOT NULL REFERENCES crm_customers (partner_id),
    title TEXT NOT NULL,
    value BIGINT NOT NULL CHECK (value >= 0),
    currency TEXT NOT NULL,
    expected_close DATE,
    owner_id TEXT NOT NULL REFERENCES users (id),
    stage_id TEXT NOT NULL REFERENCES crm_stages (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'won', 'lost')),
    lost_reason TEXT,
    closed_at TIMESTAMP,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX crm_deals_customer_idx ON crm_deals (customer_id);
CREATE INDEX crm_deals_owner_idx ON crm_deals (company_id, owner_id, status);

CREATE TABLE crm_deal_stages (
    id TEXT PRIMARY KEY NOT NULL,
    deal_id TEXT NOT NULL REFERENCES crm_deals (id),
    from_stage_id TEXT,
    to_stage_id TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    user_id TEXT NOT NULL
);
CREATE INDEX crm_deal_stages_deal_idx ON crm_deal_stages (deal_id, changed_at);

CREATE TABLE crm_tasks (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    customer_id TEXT REFERENCES crm_customers (partner_id),
    deal_id TEXT REFERENCES crm_deals (id),
    assignee_id TEXT NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    notes TEXT,
    due_at TIMESTAMP NOT NULL,
    -- The automation rule that made the task, if one did.
    rule_id TEXT,
    -- When the task.due event was sent.
    reminded_at TIMESTAMP,
    priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high')),
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    done_at TIMESTAMP,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX crm_tasks_assignee_idx ON crm_tasks (company_id, assignee_id, status, due_at);
CREATE INDEX crm_tasks_customer_idx ON crm_tasks (customer_id);

-- Automation: "when this happens, do that", applied in the transaction of the event.
CREATE TABLE crm_rules (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('deal_stage_entered', 'unknown_caller', 'no_contact')),
    stage_id TEXT REFERENCES crm_stages (id),
    days INTEGER NOT NULL CHECK (days >= 0),
    task_title TEXT,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX crm_rules_company_idx ON crm_rules (company_id, trigger_kind);

-- How new leads are given to managers: round robin or least loaded, among the members.
CREATE TABLE crm_assignment (
    company_id TEXT PRIMARY KEY NOT NULL REFERENCES companies (id),
    strategy TEXT NOT NULL CHECK (strategy IN ('round_robin', 'least_loaded')),
    members TEXT NOT NULL,
    next_index INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Outbound webhooks: subscriptions, the outbox of events (written in the transaction of the
-- change), and one delivery per event and subscription, retried with backoff.
CREATE TABLE crm_webhooks (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    -- JSON array of event types ("*" for all).
    event_types TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE crm_outbox (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX crm_outbox_company_idx ON crm_outbox (company_id, created_at);

CREATE TABLE crm_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES crm_outbox (id),
    webhook_id TEXT NOT NULL REFERENCES crm_webhooks (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    delivered_at TIMESTAMP,
    UNIQUE (event_id, webhook_id)
);
CREATE INDEX crm_deliveries_due_idx ON crm_deliveries (status, next_attempt_at);
CREATE INDEX crm_deliveries_webhook_idx ON crm_deliveries (webhook_id);

-- Sales orders: confirmed orders reserve stock, deliveries issue it.
CREATE TABLE crm_sales_orders (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    number TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES crm_customers (partner_id),
    deal_id TEXT REFERENCES crm_deals (id),
    location_id TEXT NOT NULL REFERENCES locations (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'confirmed', 'partially_delivered', 'delivered', 'cancelled')),
    currency TEXT NOT NULL,
    total BIGINT NOT NULL,
    notes TEXT,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, number)
);
CREATE INDEX crm_sales_orders_customer_idx ON crm_sales_orders (customer_id);

CREATE TABLE crm_sales_order_lines (
    id TEXT PRIMARY KEY NOT NULL,
    order_id TEXT NOT NULL REFERENCES crm_sales_orders (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    item_id TEXT NOT NULL REFERENCES items (id),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
    discount_percent BIGINT NOT NULL CHECK (discount_percent >= 0 AND discount_percent <= 100000000),
    line_total BIGINT NOT NULL,
    delivered_quantity BIGINT NOT NULL,
    reservation_id TEXT,
    UNIQUE (order_id, line_no)
);

-- Plans against results: a target per manager, metric and period.
CREATE TABLE crm_targets (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    metric TEXT NOT NULL CHECK (metric IN ('contacts', 'meetings', 'deals_closed', 'revenue')),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    -- Money ×10^4 for revenue, a count ×10^4 otherwise.
    target BIGINT NOT NULL CHECK (target > 0),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, metric, period_start)
);

-- Complaints and service tickets after the sale.
CREATE TABLE crm_tickets (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    customer_id TEXT NOT NULL REFERENCES crm_customers (partner_id),
    order_id TEXT REFERENCES crm_sales_orders (id),
    kind TEXT NOT NULL CHECK (kind IN ('complaint', 'service')),
    subject TEXT NOT NULL,
    description TEXT,
    cause TEXT,
    priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high')),
    status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    owner_id TEXT NOT NULL REFERENCES users (id),
    sla_due_at TIMESTAMP NOT NULL,
    resolution TEXT,
    resolved_at TIMESTAMP,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX crm_tickets_customer_idx ON crm_tickets (customer_id);
CREATE INDEX crm_tickets_status_idx ON crm_tickets (company_id, status, sla_due_at);

-- Saved segments (filters as JSON), campaigns to a segment, and the responses they got.
CREATE TABLE crm_segments (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    filters TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE crm_campaigns (
    id TEXT PRIMARY KEY NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    segment_id TEXT NOT NULL REFERENCES crm_segments (id),
    name TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'call', 'mail')),
    -- The members when the campaign was made, as a JSON array of customer ids.
    members TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE crm_campaign_responses (
    id TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES crm_campaigns (id),
    customer_id TEXT NOT NULL REFERENCES crm_customers (partner_id),
    response TEXT NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX crm_campaign_responses_campaign_idx ON crm_campaign_responses (campaign_id);
