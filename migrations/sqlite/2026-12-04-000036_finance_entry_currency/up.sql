-- The transaction currency of an entry line: the currency and the signed amount in it
-- (debit positive, ×10^4) of a line booked from a document, payment or entry in another
-- currency than the company's. NULL: the line is in company currency only.
ALTER TABLE fin_entry_lines ADD COLUMN currency TEXT;
ALTER TABLE fin_entry_lines ADD COLUMN amount_currency BIGINT;
-- The sum of the lines' amounts in currency, beside their debits and credits: for an account
-- restricted to a currency (a dollar bank account) it is the balance in that currency.
ALTER TABLE fin_balances ADD COLUMN amount_currency BIGINT NOT NULL DEFAULT 0;
