-- title: Models per organisation and country
-- description: For each developer organisation, its country and how many of its models have released and withheld final parameters (models with neither are in no column).
-- sparql: organisation-models-by-evidence
SELECT o.id AS organisation, o.name,
  COUNT(DISTINCT CASE WHEN a.availability = 'released' THEN m.id END) AS released_models,
  COUNT(DISTINCT CASE WHEN a.availability = 'withheld' THEN m.id END) AS withheld_models,
  o.country
FROM organisations o
JOIN models_developer md ON md.developer = o.id
JOIN models m ON m.id = md.model
LEFT JOIN artifacts a ON a.artifact_of = m.id AND a.component = 'final_parameters'
GROUP BY o.id
ORDER BY o.country, o.name
