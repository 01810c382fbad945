DROP TABLE fin_exchange_rates;
