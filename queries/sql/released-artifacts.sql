-- title: Released artifacts per model
-- description: For each model, the components that are released, with the artifact's licence where one is recorded. One model (its id, e.g. llama-3-1) or one component (e.g. final_parameters) narrows the list; both empty list every model, of which a page shows the first 1,000 rows: for all of them, filter the artifacts table (availability = released), whose CSV export with _stream=on holds every row.
-- sparql: released-artifacts
-- param model =
-- param component =
SELECT m.id AS model, m.name AS model_name, a.id AS artifact, a.component, al.licence, l.name AS licence_name
FROM artifacts a JOIN models m ON m.id = a.artifact_of
LEFT JOIN artifacts_licence al ON al.artifact = a.id
LEFT JOIN licences l ON l.id = al.licence
WHERE a.availability = 'released'
  AND (:model = '' OR m.id = lower(replace(trim(:model), '_', '-')))           -- a slug's hyphens or underscores alike
  AND (:component = '' OR a.component = lower(replace(trim(:component), '-', '_')))
ORDER BY m.name, a.component
