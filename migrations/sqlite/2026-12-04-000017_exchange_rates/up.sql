-- Exchange rates by date: how much of the company's currency one unit of another currency is
-- worth from that day on (×10^9), typed or imported from CSV.
CREATE TABLE fin_exchange_rates (
    company_id TEXT NOT NULL REFERENCES companies (id),
    currency TEXT NOT NULL,
    rate_date DATE NOT NULL,
    rate BIGINT NOT NULL CHECK (rate > 0),
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, currency, rate_date)
);
