DROP TABLE fin_revaluation_lines;
DROP TABLE fin_revaluations;
