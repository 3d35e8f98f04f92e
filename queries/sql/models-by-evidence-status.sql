-- title: Open-weight, open-source or closed, from the artifacts
-- description: Each model with a final-parameters artifact, classed from its artifacts (a strict reading: any record counts; analysis_model_openness combines records by majority instead): closed when any record says the final parameters are withheld; open-source when final parameters, training code and datasets are all released; open-weight otherwise.
-- sparql: models-by-evidence-status
SELECT m.id AS model, m.name,
  CASE
    WHEN EXISTS (SELECT 1 FROM artifacts w WHERE w.artifact_of = m.id AND w.component = 'final_parameters' AND w.availability = 'withheld') THEN 'closed'
    WHEN EXISTS (SELECT 1 FROM artifacts p WHERE p.artifact_of = m.id AND p.component = 'final_parameters' AND p.availability = 'released')
     AND EXISTS (SELECT 1 FROM artifacts c WHERE c.artifact_of = m.id AND c.component = 'training_code' AND c.availability = 'released')
     AND EXISTS (SELECT 1 FROM artifacts d WHERE d.artifact_of = m.id AND d.component = 'datasets' AND d.availability = 'released') THEN 'open-source'
    ELSE 'open-weight'
  END AS status
FROM models m
WHERE EXISTS (SELECT 1 FROM artifacts a WHERE a.artifact_of = m.id AND a.component = 'final_parameters')
ORDER BY status, m.name
