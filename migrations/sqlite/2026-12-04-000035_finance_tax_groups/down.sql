DROP TABLE fin_invoice_line_taxes;
ALTER TABLE fin_invoice_lines DROP COLUMN tax_group_id;
DROP TABLE fin_tax_group_members;
DROP TABLE fin_tax_groups;
