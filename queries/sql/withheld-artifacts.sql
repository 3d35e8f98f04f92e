-- title: Withheld artifacts per model
-- description: For each model, the components its developer withholds.
-- sparql: withheld-artifacts
SELECT m.id AS model, m.name AS model_name, a.id AS artifact, a.component
FROM artifacts a JOIN models m ON m.id = a.artifact_of
WHERE a.availability = 'withheld'
ORDER BY m.name, a.component
