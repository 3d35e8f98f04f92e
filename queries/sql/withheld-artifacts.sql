-- title: Withheld artifacts per model
-- description: For each model, the components its developer withholds. One model (its id, e.g. gpt-4) or one component (e.g. training_code) narrows the list; both empty list every model, of which a page shows the first 1,000 rows: for all of them, filter the artifacts table (availability = withheld), whose CSV export with _stream=on holds every row.
-- sparql: withheld-artifacts
-- param model =
-- param component =
SELECT m.id AS model, m.name AS model_name, a.id AS artifact, a.component
FROM artifacts a JOIN models m ON m.id = a.artifact_of
WHERE a.availability = 'withheld'
  AND (:model = '' OR m.id = lower(replace(trim(:model), '_', '-')))           -- a slug's hyphens or underscores alike
  AND (:component = '' OR a.component = lower(replace(trim(:component), '-', '_')))
ORDER BY m.name, a.component
