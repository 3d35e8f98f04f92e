-- title: Largest training runs by year, open vs closed
-- description: For each year, the largest open-weight and the largest closed training run (FLOP, Epoch AI's estimates) and how many times larger the closed one is, as the compute analysis computed them (analysis_largest_training_runs).
SELECT year, largest_open_name, largest_open_flop, largest_closed_name, largest_closed_flop,
  closed_to_open_ratio, largest_open_model, largest_closed_model
FROM analysis_largest_training_runs
ORDER BY year DESC
