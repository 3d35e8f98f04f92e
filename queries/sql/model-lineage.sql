-- title: A model's lineage
-- description: The chain of base models a model was fine-tuned from (okg:fineTuneOf, from Epoch AI), and the models fine-tuned from it, with each one's developers; depth -1 is the model's base, +1 a model built on it.
-- param model = vicuna-13b
WITH RECURSIVE up(id, depth) AS (
  SELECT id, 0 FROM models WHERE id = :model
  UNION ALL
  SELECT m.base_model, up.depth - 1 FROM models m JOIN up ON m.id = up.id WHERE m.base_model IS NOT NULL AND up.depth > -20
), down(id, depth) AS (
  SELECT id, 0 FROM models WHERE id = :model
  UNION ALL
  SELECT m.id, down.depth + 1 FROM models m JOIN down ON m.base_model = down.id WHERE down.depth < 20
)
SELECT l.depth, m.id AS model, m.name, m.base_model,
  (SELECT group_concat(developer, ';') FROM models_developer d WHERE d.model = m.id) AS developers,
  m.release_date, m.training_compute
FROM (SELECT id, depth FROM up UNION SELECT id, depth FROM down WHERE depth > 0) l
JOIN models m ON m.id = l.id
ORDER BY l.depth, m.id
