-- title: Released artifacts per model
-- description: For each model, the components that are released, with the artifact's licence where one is recorded.
-- sparql: released-artifacts
SELECT m.id AS model, m.name AS model_name, a.id AS artifact, a.component, al.licence, l.name AS licence_name
FROM artifacts a JOIN models m ON m.id = a.artifact_of
LEFT JOIN artifacts_licence al ON al.artifact = a.id
LEFT JOIN licences l ON l.id = al.licence
WHERE a.availability = 'released'
ORDER BY m.name, a.component
