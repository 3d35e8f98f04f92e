-- title: Models by developer
-- description: Every model of one developer organisation (its id, e.g. meta; leave empty for all), with its family and release date.
-- param developer = meta
-- sparql: models-by-developer developer=<https://w3id.org/openness-kg/id/organisation/meta>
SELECT m.id AS model, m.name, o.id AS developer, o.name AS developer_name, f.id AS family, f.name AS family_name, m.release_date
FROM models m
JOIN models_developer md ON md.model = m.id
JOIN organisations o ON o.id = md.developer
LEFT JOIN model_families f ON f.id = m.family
WHERE (:developer = '' OR o.id = :developer)
ORDER BY o.name, m.release_date, m.name
