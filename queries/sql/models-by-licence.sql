-- title: Models by licence
-- description: Every model with its licence (name, SPDX id where there is one, category); a model without a recorded licence appears once with empty licence columns.
-- sparql: models-by-licence
SELECT m.id AS model, m.name, ml.licence, l.name AS licence_name, l.spdx_id, l.licence_category AS category
FROM models m
LEFT JOIN models_licence ml ON ml.model = m.id
LEFT JOIN licences l ON l.id = ml.licence
ORDER BY l.licence_category, l.name, m.name
